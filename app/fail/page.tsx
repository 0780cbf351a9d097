import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PaymentFailure } from '../_components/payment-failure';

export const metadata: Metadata = { title: '결제 결과 · 강의 결제' };

export default function FailPage() {
  return (
    <Suspense fallback={<h1>결제 결과</h1>}>
      <PaymentFailure />
    </Suspense>
  );
}
