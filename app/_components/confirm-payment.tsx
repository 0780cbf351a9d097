'use client';

import { useMutation } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useEffect, useRef } from 'react';
import type { DomainReason } from '@/server/building-blocks/errors/domain-error';
import { errorMessage } from '../_lib/error-message';
import { tossMessage } from '../_lib/toss-messages';
import { useTRPC } from '../_lib/trpc';
import { OrderResult } from './order-result';

/** What the success page says instead of the general message, for the refusals only confirm gives. */
const CONFIRM_MESSAGES: Partial<Record<DomainReason, string>> = {
  AMOUNT_MISMATCH: '결제 금액이 주문 금액과 달라요. 결제를 진행하지 않았고 청구된 금액은 없어요.',
  ORDER_NOT_FOUND: '주문을 찾을 수 없어요. 내 결제 내역에서 주문을 확인해 주세요.',
  ORDER_NOT_PAYABLE: '이 주문은 결제를 기다리는 상태가 아니에요. 내 결제 내역에서 상태를 확인해 주세요.',
};

/**
 * The success URL Toss redirects to. It only asks our server to confirm: the server checks the amount
 * against the order and confirms with Toss. Refreshing or opening it twice replays the same result.
 */
export function ConfirmPayment() {
  const params = useSearchParams();
  const trpc = useTRPC();
  const confirm = useMutation(trpc.payment.confirm.mutationOptions());
  const started = useRef(false);

  const paymentKey = params.get('paymentKey');
  const orderId = params.get('orderId');
  const amount = Number(params.get('amount'));
  const complete = Boolean(paymentKey && orderId && Number.isFinite(amount));

  useEffect(() => {
    if (!complete || started.current) return;
    started.current = true;
    confirm.mutate({ paymentKey: paymentKey ?? '', orderId: orderId ?? '', amount });
  }, [complete, paymentKey, orderId, amount, confirm]);

  if (!complete)
    return (
      <p className="error" role="alert">
        결제 정보가 올바르지 않아요. 강의 목록에서 다시 결제해 주세요.
      </p>
    );
  if (confirm.isError) {
    const reason =
      confirm.error instanceof TRPCClientError
        ? (confirm.error.data as { reason?: string } | undefined)?.reason
        : undefined;
    const text =
      (reason && CONFIRM_MESSAGES[reason as DomainReason]) ??
      (reason === 'PAYMENT_FAILED'
        ? // "CODE: message": Toss's own words, or ours for our codes (never an English sentence of ours).
          `결제가 승인되지 않았어요. (${tossMessage(confirm.error.message.split(':')[0], confirm.error.message)})`
        : errorMessage(confirm.error));
    return (
      <section className="card" role="alert">
        <h2 style={{ marginTop: 0 }}>결제하지 못했어요</h2>
        <p className="error">{text}</p>
        <Link href="/">강의 목록으로</Link>
      </section>
    );
  }
  if (!confirm.data) return <p className="muted">결제를 확인하는 중…</p>;
  return (
    <>
      <OrderResult order={confirm.data.order} balance={confirm.data.balance} />
      {(confirm.data.order.status === 'IN_DOUBT' || confirm.data.order.status === 'CONFIRMING') && (
        <p>
          <button
            type="button"
            className="secondary"
            onClick={() => confirm.mutate({ paymentKey: paymentKey ?? '', orderId: orderId ?? '', amount })}
            disabled={confirm.isPending}
          >
            다시 확인
          </button>
        </p>
      )}
    </>
  );
}
