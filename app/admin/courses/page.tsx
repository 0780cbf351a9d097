import type { Metadata } from 'next';
import { CourseManager } from '../../_components/admin/course-manager';

export const metadata: Metadata = { title: '관리자: 강의 관리 · 강의 결제' };

export default function AdminCourseManagerPage() {
  return (
    <>
      <h1>관리자: 강의 관리</h1>
      <CourseManager />
    </>
  );
}
