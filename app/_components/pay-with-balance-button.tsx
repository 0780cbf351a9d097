'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRef, useState } from 'react';
import { errorMessage, isDefiniteAnswer } from '../_lib/error-message';
import { won } from '../_lib/format';
import { rememberPurchase, useRecentPurchase } from '../_lib/recent-purchases';
import { useTRPC } from '../_lib/trpc';
import { useRequestId } from '../_lib/use-request-id';

type Step = { kind: 'idle' } | { kind: 'confirm' } | { kind: 'error'; text: string };

/**
 * Pays a course with the wallet balance, in two steps: first the price and the balance after it, then
 * the payment. A double click on 결제하기 is one intent, one requestId, one payment. The result stays on
 * screen with a link to the order.
 */
export function PayWithBalanceButton({ course }: { course: { id: string; title: string; price: number } }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const requestId = useRequestId();
  const inFlight = useRef(false);
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const wallet = useQuery(trpc.wallet.get.queryOptions());
  const balance = wallet.data?.balance ?? null;

  const pay = useMutation(
    trpc.wallet.pay.mutationOptions({
      onSuccess: (result) => {
        requestId.settle();
        rememberPurchase(course.id, { orderId: result.orderId, balance: result.balance });
        setStep({ kind: 'idle' });
      },
      onError: (error) => {
        if (isDefiniteAnswer(error)) requestId.settle();
        setStep({ kind: 'error', text: errorMessage(error) });
      },
      onSettled: async () => {
        inFlight.current = false;
        await queryClient.invalidateQueries();
      },
    }),
  );

  function confirm() {
    if (inFlight.current) return;
    inFlight.current = true;
    pay.mutate({ courseId: course.id, requestId: requestId.current() });
  }

  if (step.kind === 'confirm' || pay.isPending) {
    const after = balance === null ? null : balance - course.price;
    return (
      <section className="stack" aria-label={`${course.title} 잔액 결제 확인`}>
        <dl className="summary">
          <dt>결제 금액</dt>
          <dd>{won(course.price)}</dd>
          <dt>지금 잔액</dt>
          <dd>{balance === null ? '확인 중…' : won(balance)}</dd>
          {after !== null && after >= 0 && (
            <>
              <dt>결제 후 잔액</dt>
              <dd>{won(after)}</dd>
            </>
          )}
        </dl>
        {after !== null && after < 0 ? (
          <div className="row">
            <p className="error" role="alert">
              잔액이 {won(-after)} 부족해요. <Link href="/wallet">충전하기</Link>
            </p>
            <button type="button" className="secondary" onClick={() => setStep({ kind: 'idle' })}>
              취소
            </button>
          </div>
        ) : (
          <div className="row">
            <button type="button" onClick={confirm} disabled={pay.isPending || after === null}>
              {pay.isPending ? '결제 중…' : `${won(course.price)} 결제하기`}
            </button>
            <button
              type="button"
              className="secondary"
              disabled={pay.isPending}
              onClick={() => setStep({ kind: 'idle' })}
            >
              취소
            </button>
          </div>
        )}
      </section>
    );
  }

  return (
    <div>
      <button
        type="button"
        onClick={() => setStep({ kind: 'confirm' })}
        aria-label={`${course.title} 잔액으로 결제`}
      >
        잔액으로 결제 ({won(course.price)})
      </button>
      {step.kind === 'error' && (
        <p className="error" role="alert">
          {step.text}
        </p>
      )}
    </div>
  );
}

/** What a balance purchase made on this page came to; it stays on screen after the course shows 수강 중. */
export function BalancePurchaseResult({ courseId }: { courseId: string }) {
  const purchase = useRecentPurchase(courseId);
  if (!purchase) return null;
  return (
    <p className="success" role="status">
      결제했어요. 남은 잔액 {won(purchase.balance)} ·{' '}
      <Link href={`/orders/${purchase.orderId}`}>주문 보기</Link>
    </p>
  );
}
