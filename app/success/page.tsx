import { Suspense } from 'react';
import { ConfirmPayment } from '../_components/confirm-payment';

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
