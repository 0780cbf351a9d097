import type { Metadata } from 'next';
import { PaymentExplanation } from '../../../_components/admin/payment-explanation';

export const metadata: Metadata = { title: '관리자: 결제 상세 · 강의 결제' };

export default async function AdminPaymentPage({ params }: { params: Promise<{ orderId: string }> }) {
  const { orderId } = await params;
  return <PaymentExplanation orderId={orderId} />;
}
