import type { Metadata } from 'next';
import { AlertList } from '../../_components/admin/alert-list';

export const metadata: Metadata = { title: '관리자: 확인 필요 알림 · 강의 결제' };

export default function AdminAlertListPage() {
  return (
    <>
      <h1>관리자: 확인 필요 알림</h1>
      <AlertList />
    </>
  );
}
