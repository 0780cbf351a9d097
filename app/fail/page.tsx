import { Suspense } from 'react';
import { PaymentFailure } from '../_components/payment-failure';

export default function FailPage() {
  return (
    <>
      <h1>결제 실패</h1>
      <Suspense fallback={null}>
        <PaymentFailure />
      </Suspense>
    </>
  );
}
