import type { Metadata } from 'next';
import { CourseCatalogue } from './_components/course-catalogue';

export const metadata: Metadata = { title: '강의 목록 · 강의 결제' };

export default function HomePage() {
  return (
    <>
      <h1>강의 목록</h1>
      <CourseCatalogue />
    </>
  );
}
