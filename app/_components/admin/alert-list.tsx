'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { adminErrorMessage } from '../../_lib/admin-error';
import { dateTime } from '../../_lib/format';
import { useTRPC } from '../../_lib/trpc';
import { AdminOnly } from './admin-only';

const STATE_LABEL = { OPEN: '미확인', ACKNOWLEDGED: '확인 중', RESOLVED: '해결됨' } as const;

/** The kinds alerts are raised with (server: raiseAlert callers), in words; a kind's suffix names its subject. */
const KIND_LABEL: Record<string, string> = {
  OUTCOME_UNKNOWN: '결제 결과 확인 지연',
  CANCEL_NOT_CONFIRMED: '취소 확인 지연',
  LATE_APPROVAL: '뒤늦은 승인',
  BANK_TRANSFER_REFUND: '계좌 이체 환불 필요',
  REFUND_IN_DOUBT: '환불 결과 불확실',
  REFUND_REVERT: '환불 되돌림 필요',
  CANCELED_AT_TOSS: '토스에서 직접 취소됨',
  CANCEL_AT_TOSS_NOT_BOOKED: '토스 취소 미반영',
  CHARGE_CANCEL_OWED: '충전 취소 금액 미회수',
  EVENT_DELIVERY_FAILED: '이벤트 전송 실패',
};

const kindOf = (kind: string) => kind.split(':')[0] ?? kind;

type Alert = {
  id: string;
  orderId: string | null;
  kind: string;
  message: string;
  createdAt: Date;
  state: keyof typeof STATE_LABEL;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  acknowledgeNote: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
};

export function AlertList() {
  return (
    <AdminOnly>
      <Alerts />
    </AdminOnly>
  );
}

function Alerts() {
  const trpc = useTRPC();
  const [state, setState] = useState<'' | keyof typeof STATE_LABEL>('OPEN');
  const [kind, setKind] = useState('');
  const alerts = useQuery({
    ...trpc.admin.alertList.queryOptions({ state: state || undefined, kind: kind || undefined }),
    retry: false,
  });

  return (
    <>
      <form className="card row" aria-label="알림 필터" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="alert-state" style={{ margin: 0 }}>
          상태
        </label>
        <select id="alert-state" value={state} onChange={(e) => setState(e.target.value as typeof state)}>
          <option value="">전체</option>
          <option value="OPEN">미확인</option>
          <option value="ACKNOWLEDGED">확인 중</option>
          <option value="RESOLVED">해결됨</option>
        </select>
        <label htmlFor="alert-kind" style={{ margin: 0 }}>
          종류
        </label>
        <select id="alert-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="">전체</option>
          {Object.entries(KIND_LABEL).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </form>
      {alerts.isPending && <p className="muted">알림을 불러오는 중…</p>}
      {alerts.isError && (
        <p className="error" role="alert">
          {adminErrorMessage(alerts.error)}
        </p>
      )}
      {alerts.data?.length === 0 && <p className="muted">조건에 맞는 알림이 없어요.</p>}
      {alerts.data?.map((alert) => (
        <AlertCard key={alert.id} alert={alert} />
      ))}
    </>
  );
}

function AlertCard({ alert }: { alert: Alert }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const prefix = `alert-${alert.id}`;
  const onSettled = () => queryClient.invalidateQueries();
  const acknowledge = useMutation(
    trpc.admin.acknowledgeAlert.mutationOptions({
      onSuccess: () => {
        setDone('확인 처리했어요.');
        setNote('');
      },
      onError: (e) => setError(adminErrorMessage(e)),
      onSettled,
    }),
  );
  const resolve = useMutation(
    trpc.admin.resolveAlert.mutationOptions({
      onSuccess: () => {
        setDone('해결 처리했어요.');
        setNote('');
      },
      onError: (e) => setError(adminErrorMessage(e)),
      onSettled,
    }),
  );
  const label = `${KIND_LABEL[kindOf(alert.kind)] ?? kindOf(alert.kind)}${alert.orderId ? ` · 주문 ${alert.orderId}` : ''}`;

  return (
    <section className="card stack" aria-label={label}>
      <div className="row">
        <h2 style={{ margin: 0, fontSize: '1rem' }}>{label}</h2>
        <span className="badge">{STATE_LABEL[alert.state]}</span>
      </div>
      <p>{alert.message}</p>
      <p className="muted">
        {dateTime(alert.createdAt)} 발생 · 종류 {alert.kind}
        {alert.orderId ? (
          <>
            {' · '}
            <Link href={`/admin/payments/${encodeURIComponent(alert.orderId)}`}>결제 상세 보기</Link>
          </>
        ) : (
          <>
            {' · '}
            <Link href="/admin/webhooks">웹훅 보기</Link>
          </>
        )}
      </p>
      {alert.acknowledgedAt && (
        <p>
          확인: {alert.acknowledgedBy} · {dateTime(alert.acknowledgedAt)}
          {alert.acknowledgeNote && ` · 메모: ${alert.acknowledgeNote}`}
        </p>
      )}
      {alert.resolvedAt && (
        <p>
          해결: {alert.resolvedBy} · {dateTime(alert.resolvedAt)} · 메모: {alert.resolutionNote}
        </p>
      )}
      {alert.state !== 'RESOLVED' && (
        <form className="stack" aria-label={`${label} 처리`} noValidate onSubmit={(e) => e.preventDefault()}>
          <label htmlFor={`${prefix}-note`}>처리 메모 (해결할 때는 필수)</label>
          <input
            id={`${prefix}-note`}
            value={note}
            maxLength={500}
            onChange={(e) => {
              setNote(e.target.value);
              setError(null);
              setDone(null);
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${prefix}-error` : undefined}
          />
          <div className="row">
            {alert.state === 'OPEN' && (
              <button
                type="button"
                className="secondary"
                disabled={acknowledge.isPending}
                onClick={() => {
                  setDone(null);
                  acknowledge.mutate({ alertId: alert.id, note: note.trim() || undefined });
                }}
              >
                확인 처리
              </button>
            )}
            <button
              type="button"
              disabled={resolve.isPending}
              onClick={() => {
                setDone(null);
                if (!note.trim()) return setError('해결 메모를 입력해 주세요. 무엇을 했는지 남겨 주세요.');
                resolve.mutate({ alertId: alert.id, note });
              }}
            >
              해결 처리
            </button>
          </div>
        </form>
      )}
      {error && (
        <p id={`${prefix}-error`} className="error" role="alert">
          {error}
        </p>
      )}
      {done && (
        <p className="success" role="status">
          {done}
        </p>
      )}
    </section>
  );
}
