import type { Metadata } from 'next';
import { ServiceKeys } from '../../_components/admin/service-keys';

export const metadata: Metadata = { title: '관리자: 서비스 키 · 강의 결제' };

export default function AdminServiceKeysPage() {
  return (
    <>
      <h1>관리자: 서비스 키</h1>
      <ServiceKeys />
    </>
  );
}
