import { CourseCatalogue } from './_components/course-catalogue';

export default function HomePage() {
  return (
    <>
      <h1>강의 목록</h1>
      <CourseCatalogue />
    </>
  );
}
