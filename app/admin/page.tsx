import { AdminDashboard } from '../_components/admin-dashboard';

export default function AdminPage() {
  return (
    <>
      <h1>관리자: 대사 · 정산</h1>
      <AdminDashboard />
    </>
  );
}
