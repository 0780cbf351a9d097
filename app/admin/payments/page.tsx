import type { Metadata } from 'next';
import { PaymentSearch } from '../../_components/admin/payment-search';

export const metadata: Metadata = { title: '관리자: 결제 찾기 · 강의 결제' };

export default function AdminPaymentSearchPage() {
  return (
    <>
      <h1>관리자: 결제 찾기</h1>
      <PaymentSearch />
    </>
  );
}
