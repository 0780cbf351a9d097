'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { errorMessage } from '../_lib/error-message';
import { orderOutcome } from '../_lib/order-words';
import { tossMessage } from '../_lib/toss-messages';
import { useTRPC } from '../_lib/trpc';
import { useOpenOrder } from '../_lib/use-open-order';

/**
 * The fail URL Toss redirects to (code, message, orderId). The order is marked FAILED when the shopper
 * cancelled or the card was refused, and "try again" opens a fresh order for the same purchase (with the
 * same split between wallet and card); an order Toss's code left payable goes back to its checkout.
 */
export function PaymentFailure() {
  const params = useSearchParams();
  const router = useRouter();
  const trpc = useTRPC();
  const code = params.get('code');
  const message = params.get('message');
  const orderId = params.get('orderId');

  const me = useQuery(trpc.auth.me.queryOptions());
  const record = useMutation(trpc.payment.fail.mutationOptions());
  const retry = useOpenOrder();
  const recorded = useRef(false);

  useEffect(() => {
    if (recorded.current || !me.data || !orderId || !code) return;
    recorded.current = true;
    record.mutate({ orderId, code, message: message ?? '' });
  }, [me.data, orderId, code, message, record]);

  const order = record.data;
  function tryAgain() {
    if (!order) return;
    // Still payable (Toss's code was not a final refusal): the same order, its hold untouched.
    if (order.status === 'CREATED') {
      router.push(`/checkout/${order.orderId}`);
      return;
    }
    if (order.type === 'COURSE' && order.courseId) {
      // The same split again (the server checks it against what is available now).
      retry.open({ type: 'COURSE', courseId: order.courseId, walletAmount: order.walletAmount });
    } else retry.open({ type: 'CHARGE', amount: order.amount });
  }

  // The fail URL may be opened again after the order went on (paid in another tab, refunded...): then
  // say what became of it, not what the URL says.
  if (order && order.status !== 'FAILED' && order.status !== 'CREATED') {
    const outcome = orderOutcome(order);
    return (
      <>
        <h1>결제 결과</h1>
        <section className="card" aria-label="결제 결과">
          <div role="status">
            <h2 style={{ marginTop: 0 }}>{outcome.title}</h2>
            <p>{outcome.text}</p>
          </div>
          <div className="row">
            <Link href={`/orders/${order.orderId}`}>주문 상세 보기</Link>
            <Link href="/">강의 목록으로</Link>
          </div>
        </section>
      </>
    );
  }

  return (
    <>
      <h1>결제 실패</h1>
      <section className="card" role="alert">
        <p>{tossMessage(code, message)}</p>
        {code && <p className="muted">오류 코드: {code}</p>}
        {retry.error && <p className="error">{errorMessage(retry.error)}</p>}
        <div className="row">
          {order ? (
            <button type="button" onClick={tryAgain} disabled={retry.isPending}>
              다시 결제하기
            </button>
          ) : (
            <Link href="/wallet">지갑에서 다시 시도</Link>
          )}
          <Link href="/">강의 목록으로</Link>
        </div>
      </section>
    </>
  );
}
