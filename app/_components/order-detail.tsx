'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import type { inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import { useState } from 'react';
import type { AppRouter } from '@/server/entry-points/trpc/router';
import { errorMessage, isDefiniteAnswer } from '../_lib/error-message';
import { dateTime, won } from '../_lib/format';
import {
  methodLabel,
  orderOutcome,
  orderStatusLabel,
  REFUND_STATUS_LABEL,
  timelineText,
} from '../_lib/order-words';
import { useTRPC } from '../_lib/trpc';
import { useRequestId } from '../_lib/use-request-id';

const NOT_FOUND_REASONS = new Set(['ORDER_NOT_FOUND', 'INVALID_INPUT', 'UNAUTHORIZED']);

/** The order page: what the order is, what happened to it, its receipt, and its refund. */
export function OrderDetail({ orderId }: { orderId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const detail = useQuery(trpc.order.detail.queryOptions({ orderId }, { retry: false }));
  const recheck = useMutation(
    trpc.order.recheck.mutationOptions({ onSettled: () => queryClient.invalidateQueries() }),
  );

  if (detail.isPending) return <p className="muted">주문을 불러오는 중…</p>;
  if (detail.isError) {
    const reason =
      detail.error instanceof TRPCClientError
        ? (detail.error.data as { reason?: string } | undefined)?.reason
        : undefined;
    if (reason && NOT_FOUND_REASONS.has(reason)) {
      return (
        <>
          <h1>주문을 찾을 수 없어요</h1>
          <p>
            주문번호를 확인해 주세요. <Link href="/orders">내 결제 내역</Link>에서 모든 주문을 볼 수 있어요.
          </p>
        </>
      );
    }
    return (
      <p className="error" role="alert">
        주문을 불러오지 못했어요. 새로고침해 주세요.
      </p>
    );
  }

  const { order, card, receiptUrl, events, refunds } = detail.data;
  const outcome = orderOutcome(order);
  const unsettled = ['CONFIRMING', 'IN_DOUBT', 'CANCEL_PENDING'].includes(order.status);

  return (
    <>
      <h1>{order.orderName}</h1>
      <section className="card" aria-label="주문 상태">
        <div role="status">
          <h2 style={{ marginTop: 0 }}>{outcome.title}</h2>
          <p>{outcome.text}</p>
        </div>
        {order.status === 'CREATED' && (
          <p className="row">
            <Link href={`/checkout/${order.orderId}`}>결제 이어하기</Link>
            {order.walletAmount > 0 && (
              <span className="muted">
                결제를 그만두면 묶어 둔 잔액 {won(order.walletAmount)}이 바로 돌아와요.
              </span>
            )}
          </p>
        )}
        {unsettled && (
          <p className="row">
            <button
              type="button"
              className="secondary"
              onClick={() => recheck.mutate({ orderId })}
              disabled={recheck.isPending}
            >
              다시 확인
            </button>
            {recheck.isPending && <span className="muted">토스페이먼츠에 확인하는 중…</span>}
            {recheck.isError && (
              <span className="error" role="alert">
                {errorMessage(recheck.error)}
              </span>
            )}
          </p>
        )}
      </section>

      <h2>주문 정보</h2>
      <dl className="facts card">
        <dt>주문번호</dt>
        <dd>{order.orderId}</dd>
        <dt>구매 항목</dt>
        <dd>
          {order.type === 'COURSE' ? '강의' : '지갑 충전'} · {order.orderName}
        </dd>
        <dt>결제 수단</dt>
        <dd>{methodLabel({ method: order.method, walletAmount: order.walletAmount, card })}</dd>
        <dt>결제 금액</dt>
        <dd>{won(order.amount)}</dd>
        {order.walletAmount > 0 && (
          <>
            <dt>잔액 결제</dt>
            <dd>{won(order.walletAmount)}</dd>
            <dt>카드 결제</dt>
            <dd>{won(order.cardAmount)}</dd>
          </>
        )}
        {order.refundedAmount > 0 && (
          <>
            <dt>환불 금액</dt>
            <dd>{won(order.refundedAmount)}</dd>
          </>
        )}
        <dt>주문 일시</dt>
        <dd>{dateTime(order.createdAt)}</dd>
        <dt>상태</dt>
        <dd>{orderStatusLabel(order)}</dd>
        {receiptUrl && (
          <>
            <dt>영수증</dt>
            <dd>
              <a href={receiptUrl} target="_blank" rel="noopener noreferrer">
                카드 영수증 보기
              </a>
            </dd>
          </>
        )}
      </dl>

      <h2>진행 내역</h2>
      <ol className="timeline card" aria-label="진행 내역">
        {events.map((event, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the timeline is rebuilt whole and never reordered
          <li key={i}>
            <time dateTime={event.at.toISOString()}>{dateTime(event.at)}</time>
            {timelineText(event)}
          </li>
        ))}
      </ol>

      <h2>환불</h2>
      <RefundSection detail={detail.data} />
      {refunds.length > 0 && (
        <ul aria-label="환불 내역">
          {refunds.map((refund) => (
            <li key={refund.id}>
              {dateTime(refund.createdAt)} · {won(refund.amount)} · {REFUND_STATUS_LABEL[refund.status]}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

type Detail = inferRouterOutputs<AppRouter>['order']['detail'];

/** The refund policy in words, and the button while it allows a refund (a two-step confirmation). */
function RefundSection({ detail }: { detail: Detail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const requestId = useRequestId();
  const [confirming, setConfirming] = useState(false);
  const cancel = useMutation(
    trpc.payment.cancel.mutationOptions({
      onSuccess: () => {
        requestId.settle();
        setConfirming(false);
      },
      onError: (error) => {
        if (isDefiniteAnswer(error)) requestId.settle();
      },
      onSettled: () => queryClient.invalidateQueries(),
    }),
  );
  const { order, refundPolicy } = detail;
  const until = refundPolicy.until ? dateTime(refundPolicy.until) : null;
  const policy = '구매 후 7일 안에는 직접 전액 환불할 수 있어요. 그 뒤에는 고객센터로 문의해 주세요.';

  let verdict: string;
  if (refundPolicy.allowed) verdict = `${until}까지 환불할 수 있어요.`;
  else if (refundPolicy.refusal === 'ALREADY_REFUNDED')
    verdict = '이 주문은 이미 환불했거나 환불하고 있어요.';
  else if (refundPolicy.refusal === 'WINDOW_CLOSED') verdict = `환불 기간(${until}까지)이 지났어요.`;
  else verdict = '결제가 완료된 주문만 환불할 수 있어요.';

  return (
    <section className="card" aria-label="환불">
      <p>{policy}</p>
      <p>
        <strong>{verdict}</strong>
      </p>
      {refundPolicy.allowed &&
        (confirming ? (
          <div className="row">
            <span>
              {order.walletAmount > 0
                ? `${won(order.amount)}을 환불할까요? 카드로 ${won(order.cardAmount)}, 지갑 잔액으로 ${won(order.walletAmount)}이 돌아가요.`
                : `${won(order.amount)}을 ${order.method === 'BALANCE' ? '지갑 잔액으로' : '카드로'} 환불할까요?`}
              {order.type === 'COURSE' ? ' 환불하면 수강할 수 없어요.' : ' 충전한 금액이 지갑에서 빠져요.'}
            </span>
            <button
              type="button"
              onClick={() =>
                cancel.mutate({
                  orderId: order.orderId,
                  reason: '학습자 요청',
                  requestId: requestId.current(),
                })
              }
              disabled={cancel.isPending}
            >
              환불 확정
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              그만두기
            </button>
          </div>
        ) : (
          <button type="button" className="secondary" onClick={() => setConfirming(true)}>
            전액 환불하기
          </button>
        ))}
      {cancel.isPending && <p className="muted">환불을 요청하는 중…</p>}
      {cancel.isError && (
        <p className="error" role="alert">
          {errorMessage(cancel.error)}
        </p>
      )}
      {cancel.isSuccess && (
        <p className="success" role="status">
          환불을 요청했어요: {REFUND_STATUS_LABEL[cancel.data.refund.status]}
        </p>
      )}
    </section>
  );
}
