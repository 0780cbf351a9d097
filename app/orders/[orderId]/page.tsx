import type { Metadata } from 'next';
import { OrderDetail } from '../../_components/order-detail';

export const metadata: Metadata = { title: '주문 상세 · 강의 결제' };

export default async function OrderPage({ params }: { params: Promise<{ orderId: string }> }) {
  const { orderId } = await params;
  return <OrderDetail orderId={orderId} />;
}
