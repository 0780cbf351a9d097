import type { Metadata } from 'next';
import { OrderHistory } from '../_components/order-history';

export const metadata: Metadata = { title: '내 결제 내역 · 강의 결제' };

export default function OrdersPage() {
  return (
    <>
      <h1>내 결제 내역</h1>
      <OrderHistory />
    </>
  );
}
