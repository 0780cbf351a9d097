import type { Metadata } from 'next';
import { AuditLog } from '../../_components/admin/audit-log';

export const metadata: Metadata = { title: '관리자: 감사 기록 · 강의 결제' };

export default function AdminAuditLogPage() {
  return (
    <>
      <h1>관리자: 감사 기록</h1>
      <AuditLog />
    </>
  );
}
