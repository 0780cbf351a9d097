'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import { useRef, useState } from 'react';
import type { AppRouter } from '@/server/entry-points/trpc/router';
import { adminErrorMessage, wholeWon } from '../../_lib/admin-error';
import { isDefiniteAnswer } from '../../_lib/error-message';
import { dateTime, won } from '../../_lib/format';
import {
  methodLabel,
  orderOutcome,
  orderStatusLabel,
  REFUND_STATUS_LABEL,
  timelineText,
} from '../../_lib/order-words';
import { useTRPC } from '../../_lib/trpc';
import { useRequestId } from '../../_lib/use-request-id';
import { AdminOnly } from './admin-only';

type Explanation = inferRouterOutputs<AppRouter>['admin']['explainPayment'];

const UNSETTLED = ['CONFIRMING', 'IN_DOUBT', 'CANCEL_PENDING'];
const REFUNDABLE = ['APPROVED', 'PARTIALLY_CANCELED'];

const OPERATION_LABEL: Record<string, string> = {
  confirm: '결제 승인 요청',
  get: '결제 조회',
  cancel: '결제 취소',
  list: '거래 조회',
};

const REQUESTER_LABEL = { LEARNER: '학습자', OPERATOR: '관리자', TOSS: '토스페이먼츠' } as const;

/**
 * The operator's page for one payment: what it is, what happened to it (the learner's timeline), every
 * exchange with Toss as sent and received (secrets masked by the server), the webhooks Toss sent, the
 * refunds, the alerts and what admins did; and the two fixes: ask Toss again, refund in full or in part.
 */
export function PaymentExplanation({ orderId }: { orderId: string }) {
  return (
    <AdminOnly>
      <Explained orderId={orderId} />
    </AdminOnly>
  );
}

function Explained({ orderId }: { orderId: string }) {
  const trpc = useTRPC();
  const explained = useQuery(trpc.admin.explainPayment.queryOptions({ orderId }, { retry: false }));

  if (explained.isPending) return <p className="muted">결제를 불러오는 중…</p>;
  if (explained.isError) {
    return (
      <>
        <h1>결제를 찾을 수 없어요</h1>
        <p className="error" role="alert">
          {adminErrorMessage(explained.error)}
        </p>
        <p>
          <Link href="/admin/payments">결제 찾기</Link>에서 주문 번호나 이메일로 다시 찾아 주세요.
        </p>
      </>
    );
  }
  const data = explained.data;
  const { order, card, receiptUrl } = data;
  const outcome = orderOutcome(order);

  return (
    <>
      <h1>결제 상세: {order.orderName}</h1>
      <p>
        <Link href="/admin/payments">← 결제 찾기</Link>
      </p>
      <section className="card" aria-labelledby="payment-state">
        <h2 id="payment-state" style={{ marginTop: 0 }}>
          {orderStatusLabel(order)}
        </h2>
        <p>{outcome.text}</p>
      </section>

      <h2>주문 정보</h2>
      <dl className="facts card">
        <dt>주문번호</dt>
        <dd>{order.orderId}</dd>
        <dt>학습자</dt>
        <dd>{data.learner ? `${data.learner.name} (${data.learner.email})` : '—'}</dd>
        <dt>구매 항목</dt>
        <dd>
          {order.type === 'COURSE' ? '강의' : '지갑 충전'} · {order.orderName}
        </dd>
        <dt>결제 수단</dt>
        <dd>{methodLabel({ method: order.method, walletAmount: order.walletAmount, card })}</dd>
        <dt>결제 키</dt>
        <dd>{order.paymentKey ?? '—'}</dd>
        <dt>결제 금액</dt>
        <dd>{won(order.amount)}</dd>
        <dt>환불 금액</dt>
        <dd>{won(order.refundedAmount)}</dd>
        <dt>주문 일시</dt>
        <dd>{dateTime(order.createdAt)}</dd>
        {order.failureCode && (
          <>
            <dt>실패 사유</dt>
            <dd>
              {order.failureCode}
              {order.failureMessage ? `: ${order.failureMessage}` : ''}
            </dd>
          </>
        )}
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

      <h2>조치</h2>
      <Actions data={data} />

      <h2>진행 내역</h2>
      <ol className="timeline card" aria-label="진행 내역">
        {data.events.map((event, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the timeline is rebuilt whole and never reordered
          <li key={i}>
            <time dateTime={event.at.toISOString()}>{dateTime(event.at)}</time>
            {timelineText(event)}
          </li>
        ))}
      </ol>

      <h2>환불 내역</h2>
      {data.refunds.length === 0 ? (
        <p className="muted">환불한 적이 없어요.</p>
      ) : (
        <ul className="cards" aria-label="환불 내역">
          {data.refunds.map((refund) => (
            <li key={refund.id} className="card">
              {dateTime(refund.createdAt)} · {won(refund.amount)} · {REFUND_STATUS_LABEL[refund.status]} ·{' '}
              {REQUESTER_LABEL[refund.requestedBy]} 요청
            </li>
          ))}
        </ul>
      )}

      <h2>토스페이먼츠 통신 기록</h2>
      {data.exchanges.length === 0 ? (
        <p className="muted">
          토스페이먼츠와 주고받은 기록이 없어요 (잔액 결제이거나 아직 결제하지 않았어요).
        </p>
      ) : (
        <ol className="cards" aria-label="토스페이먼츠 통신 기록">
          {data.exchanges.map((exchange) => (
            <li key={exchange.id} className="card">
              <strong>{OPERATION_LABEL[exchange.operation] ?? exchange.operation}</strong> ·{' '}
              {dateTime(exchange.startedAt)} ·{' '}
              {exchange.responseStatus !== null
                ? `응답 ${exchange.responseStatus}${exchange.responseCode ? ` ${exchange.responseCode}` : ''}`
                : exchange.error
                  ? `응답 없음 (${exchange.error})`
                  : '응답 기다리는 중'}
              <details>
                <summary>
                  {exchange.httpMethod} {exchange.path}
                  {exchange.idempotencyKey ? ` · Idempotency-Key ${exchange.idempotencyKey}` : ''}
                </summary>
                <p>요청</p>
                <pre className="json">{json(exchange.requestBody)}</pre>
                <p>응답</p>
                <pre className="json">{json(exchange.responseBody)}</pre>
              </details>
            </li>
          ))}
        </ol>
      )}

      <h2>받은 웹훅</h2>
      {data.webhooks.length === 0 ? (
        <p className="muted">이 주문에 대해 받은 웹훅이 없어요.</p>
      ) : (
        <ol className="cards" aria-label="받은 웹훅">
          {data.webhooks.map((hook) => (
            <li key={hook.id} className="card">
              <strong>{hook.eventType}</strong> · {dateTime(hook.receivedAt)} ·{' '}
              {hook.processedAt ? `처리함 ${dateTime(hook.processedAt)}` : '아직 처리하지 않음'}
              <details>
                <summary>내용</summary>
                <pre className="json">{json(hook.payload)}</pre>
              </details>
            </li>
          ))}
        </ol>
      )}

      <h2>알림</h2>
      {data.alerts.length === 0 ? (
        <p className="muted">이 주문에 대한 알림이 없어요.</p>
      ) : (
        <ul className="cards" aria-label="알림">
          {data.alerts.map((alert) => (
            <li key={alert.id} className="card">
              {dateTime(alert.createdAt)} · {alert.kind} · {alert.message} ·{' '}
              {alert.state === 'RESOLVED'
                ? `해결함 (${alert.resolvedBy})`
                : alert.state === 'ACKNOWLEDGED'
                  ? `확인함 (${alert.acknowledgedBy})`
                  : '열림'}{' '}
              <Link href="/admin/alerts">알림 목록에서 처리하기</Link>
            </li>
          ))}
        </ul>
      )}

      <h2>관리자 작업</h2>
      {data.actions.length === 0 ? (
        <p className="muted">관리자가 이 주문에 한 작업이 없어요.</p>
      ) : (
        <ul className="cards" aria-label="관리자 작업">
          {data.actions.map((action) => (
            <li key={action.id} className="card">
              {dateTime(action.createdAt)} · {action.adminEmail} ·{' '}
              {ACTION_WORDS[action.action] ?? action.action}
              {action.reason ? ` · 사유: ${action.reason}` : ''}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

const ACTION_WORDS: Record<string, string> = { ORDER_REFUND: '환불', ORDER_RECHECK: '토스에 다시 확인' };

function json(value: unknown): string {
  return value === null || value === undefined ? '(없음)' : JSON.stringify(value, null, 2);
}

/** 토스에 다시 확인 (while the outcome is unsettled) and 환불 (while something is left to refund). */
function Actions({ data }: { data: Explanation }) {
  const { order } = data;
  const unsettled = UNSETTLED.includes(order.status);
  const refundable = REFUNDABLE.includes(order.status) && order.refundedAmount < order.amount;
  if (!unsettled && !refundable) {
    return <p className="muted card">이 결제에 지금 할 수 있는 조치가 없어요.</p>;
  }
  return (
    <div className="stack">
      {unsettled && <Recheck orderId={order.orderId} />}
      {refundable && <RefundForm order={order} />}
    </div>
  );
}

function Recheck({ orderId }: { orderId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const recheck = useMutation(
    trpc.admin.recheckPayment.mutationOptions({ onSettled: () => queryClient.invalidateQueries() }),
  );
  return (
    <section className="card" aria-label="토스에 다시 확인">
      <p>결제 결과가 아직 확정되지 않았어요. 토스페이먼츠에 지금 물어보고 결과에 따라 처리해요.</p>
      <button type="button" onClick={() => recheck.mutate({ orderId })} disabled={recheck.isPending}>
        {recheck.isPending ? '토스페이먼츠에 확인하는 중…' : '토스에 다시 확인'}
      </button>
      {recheck.isError && (
        <p className="error" role="alert">
          {adminErrorMessage(recheck.error)}
        </p>
      )}
      {recheck.isSuccess && (
        <p className="success" role="status">
          확인했어요. 지금 상태: {orderStatusLabel(recheck.data.order)}
        </p>
      )}
    </section>
  );
}

function RefundForm({ order }: { order: Explanation['order'] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const requestId = useRequestId();
  const inFlight = useRef(false);
  const remaining = order.amount - order.refundedAmount;
  const [form, setForm] = useState({ amount: '', reason: '' });
  const [error, setError] = useState<{ field?: 'amount' | 'reason'; text: string } | null>(null);
  const cancel = useMutation(
    trpc.payment.cancel.mutationOptions({
      onSuccess: () => {
        requestId.settle();
        setForm({ amount: '', reason: '' });
      },
      onError: (e) => {
        if (isDefiniteAnswer(e)) requestId.settle();
        setError({ text: adminErrorMessage(e) });
      },
      onSettled: async () => {
        inFlight.current = false;
        await queryClient.invalidateQueries();
      },
    }),
  );

  function change(patch: Partial<typeof form>) {
    setForm((f) => ({ ...f, ...patch }));
    setError(null);
    requestId.settle(); // a different refund is a different intent
  }

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    if (inFlight.current) return;
    const typed = form.amount.trim();
    const amount = typed === '' ? undefined : wholeWon(typed);
    if (amount === null || (amount !== undefined && (amount < 1 || amount > remaining))) {
      return setError({
        field: 'amount',
        text: `환불 금액은 1원에서 ${won(remaining)} 사이의 정수로 입력해 주세요. 비우면 남은 금액을 모두 환불해요.`,
      });
    }
    if (!form.reason.trim())
      return setError({ field: 'reason', text: '환불 사유를 입력해 주세요. 감사 기록에 남아요.' });
    inFlight.current = true;
    setError(null);
    cancel.mutate({ orderId: order.orderId, amount, reason: form.reason, requestId: requestId.current() });
  }

  const describedBy = (field: 'amount' | 'reason') => (error?.field === field ? 'refund-error' : undefined);
  return (
    <form className="card stack" aria-label="환불" onSubmit={onSubmit} noValidate>
      <p>
        남은 금액 {won(remaining)} 중 일부 또는 전부를{' '}
        {order.method === 'BALANCE' ? '지갑 잔액으로' : '카드로'} 환불해요. 전액을 환불하면 강의 수강도
        끝나요.
      </p>
      <label htmlFor="refund-amount">환불 금액 (원, 비우면 남은 금액 전부)</label>
      <input
        id="refund-amount"
        inputMode="numeric"
        value={form.amount}
        onChange={(e) => change({ amount: e.target.value })}
        aria-invalid={error?.field === 'amount' || undefined}
        aria-describedby={describedBy('amount')}
        style={{ width: 160 }}
      />
      <label htmlFor="refund-reason">사유 (필수)</label>
      <input
        id="refund-reason"
        value={form.reason}
        maxLength={200}
        onChange={(e) => change({ reason: e.target.value })}
        aria-invalid={error?.field === 'reason' || undefined}
        aria-describedby={describedBy('reason')}
      />
      <div>
        <button type="submit" disabled={cancel.isPending}>
          {cancel.isPending ? '환불하는 중…' : '환불하기'}
        </button>
      </div>
      {error && (
        <p id="refund-error" className="error" role="alert">
          {error.text}
        </p>
      )}
      {cancel.isSuccess && (
        <p className="success" role="status">
          {won(cancel.data.refund.amount)}을 환불했어요: {REFUND_STATUS_LABEL[cancel.data.refund.status]}
        </p>
      )}
    </form>
  );
}
