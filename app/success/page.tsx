import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ConfirmPayment } from '../_components/confirm-payment';

export const metadata: Metadata = { title: '결제 확인 · 강의 결제' };

export default function SuccessPage() {
  return (
    <>
      <h1>결제 확인</h1>
      <Suspense fallback={<p className="muted">결제를 확인하는 중…</p>}>
        <ConfirmPayment />
      </Suspense>
    </>
  );
}
