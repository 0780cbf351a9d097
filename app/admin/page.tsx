import type { Metadata } from 'next';
import { AdminDashboard } from '../_components/admin-dashboard';

export const metadata: Metadata = { title: '관리자: 대사 · 정산 · 강의 결제' };

export default function AdminPage() {
  return (
    <>
      <h1>관리자: 대사 · 정산</h1>
      <AdminDashboard />
    </>
  );
}
