'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { dayRangeSchema } from '@/server/use-cases/admin/report-range';
import { adminErrorMessage, isForbidden } from '../_lib/admin-error';
import { downloadCsv } from '../_lib/csv';
import { won } from '../_lib/format';
import { type DayRangeInput, kstDay, RANGE_PRESETS, sameRange } from '../_lib/report-days';
import { useTRPC } from '../_lib/trpc';
import { ScrollArea } from './scroll-area';
import { SettlementReport } from './settlement-report';

const KIND_LABEL: Record<string, string> = {
  MISSING_LOCAL: '우리 기록 없음',
  MISSING_AT_TOSS: '토스 기록 없음',
  AMOUNT_MISMATCH: '금액 불일치',
  STATUS_MISMATCH: '취소 상태 불일치',
};

/** The range's refusal in Korean (the schema's own words), before anything is asked of the server. */
function rangeError(range: DayRangeInput): string | null {
  const parsed = dayRangeSchema.safeParse(range);
  return parsed.success ? null : [...new Set(parsed.error.issues.map((i) => i.message))].join(' ');
}

export function AdminDashboard() {
  const trpc = useTRPC();
  const [range, setRange] = useState<DayRangeInput>(() => ({ from: kstDay(-6), to: kstDay() }));
  const [applied, setApplied] = useState(range);
  const [error, setError] = useState<string | null>(null);
  const reconcile = useQuery({ ...trpc.admin.reconcile.queryOptions(applied), retry: false });
  const invariants = useQuery({ ...trpc.admin.invariants.queryOptions(), retry: false });
  const alerts = useQuery({ ...trpc.admin.alerts.queryOptions(), retry: false });

  if ([reconcile, invariants, alerts].some((q) => isForbidden(q.error))) {
    return (
      <p className="error" role="alert">
        관리자만 볼 수 있는 페이지입니다.
      </p>
    );
  }

  const differences = reconcile.data?.differences ?? [];
  const apply = (next: DayRangeInput) => {
    setRange(next);
    const refusal = rangeError(next);
    setError(refusal);
    if (!refusal) setApplied(next);
  };
  const invalid = error ? { 'aria-invalid': true, 'aria-describedby': 'range-error' } : {};

  return (
    <>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          apply(range);
        }}
        aria-label="조회 기간"
        noValidate
      >
        <fieldset className="row" style={{ margin: 0 }}>
          <legend className="muted" style={{ marginBottom: 6 }}>
            빠른 기간 선택
          </legend>
          {RANGE_PRESETS.map((preset) => (
            <button
              key={preset.label}
              type="button"
              className="secondary"
              aria-pressed={sameRange(applied, preset.range()) && !error}
              onClick={() => apply(preset.range())}
            >
              {preset.label}
            </button>
          ))}
        </fieldset>
        <div className="row" style={{ marginTop: 8 }}>
          <span className="row">
            <label htmlFor="from" style={{ margin: 0 }}>
              시작일
            </label>
            <input
              id="from"
              type="date"
              value={range.from}
              onChange={(e) => setRange({ ...range, from: e.target.value })}
              style={{ width: 170 }}
              {...invalid}
            />
          </span>
          <span className="row">
            <label htmlFor="to" style={{ margin: 0 }}>
              종료일
            </label>
            <input
              id="to"
              type="date"
              value={range.to}
              onChange={(e) => setRange({ ...range, to: e.target.value })}
              style={{ width: 170 }}
              {...invalid}
            />
          </span>
          <button type="submit">조회</button>
        </div>
        {error && (
          <p id="range-error" className="error" role="alert">
            {error}
          </p>
        )}
        <p className="muted" style={{ margin: '8px 0 0' }}>
          {applied.from === applied.to ? applied.from : `${applied.from} ~ ${applied.to}`} (한국 시간)
          기준으로 보여 줘요.
        </p>
      </form>

      <h2>대사 (토스 거래내역과 비교)</h2>
      {reconcile.isError ? (
        <p className="error" role="alert">
          {adminErrorMessage(reconcile.error)}
        </p>
      ) : reconcile.isPending ? (
        <p className="muted">토스 거래내역과 비교하는 중…</p>
      ) : differences.length === 0 ? (
        <p className="success">차이가 없어요.</p>
      ) : (
        <ScrollArea label="대사 차이 표">
          <table style={{ whiteSpace: 'nowrap' }}>
            <caption style={{ whiteSpace: 'normal', textAlign: 'left', padding: '4px 0' }}>
              대사 차이 (토스와 다른 카드 결제)
            </caption>
            <thead>
              <tr>
                <th>구분</th>
                <th>주문</th>
                <th>paymentKey</th>
                <th className="amount">우리 (승인/취소)</th>
                <th className="amount">토스 (승인/취소)</th>
              </tr>
            </thead>
            <tbody>
              {differences.map((d) => (
                <tr key={`${d.kind}-${d.paymentKey}`}>
                  <td>{KIND_LABEL[d.kind] ?? d.kind}</td>
                  <td>{d.orderId ?? '-'}</td>
                  <td>{d.paymentKey}</td>
                  <td className="amount">
                    {d.ours ? `${won(d.ours.approved)} / ${won(d.ours.canceled)}` : '-'}
                  </td>
                  <td className="amount">
                    {d.toss ? `${won(d.toss.approved)} / ${won(d.toss.canceled)}` : '-'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      )}
      <p>
        <button
          type="button"
          className="secondary"
          disabled={!reconcile.data}
          onClick={() =>
            downloadCsv(
              `reconciliation-${applied.from}-${applied.to}.csv`,
              [
                'kind',
                'orderId',
                'paymentKey',
                'oursApproved',
                'oursCanceled',
                'tossApproved',
                'tossCanceled',
              ],
              differences.map((d) => [
                d.kind,
                d.orderId,
                d.paymentKey,
                d.ours?.approved ?? null,
                d.ours?.canceled ?? null,
                d.toss?.approved ?? null,
                d.toss?.canceled ?? null,
              ]),
            )
          }
        >
          대사 CSV 내보내기
        </button>
      </p>

      <SettlementReport range={applied} />

      <h2>장부 점검</h2>
      {invariants.data && invariants.data.violations.length === 0 && (
        <p className="success">모든 규칙을 지켜요.</p>
      )}
      {invariants.data && invariants.data.violations.length > 0 && (
        <ul aria-label="장부 규칙 위반">
          {invariants.data.violations.map((v) => (
            <li key={`${v.rule}-${v.subject}`} className="error">
              {v.rule} · {v.subject} · {v.detail}
            </li>
          ))}
        </ul>
      )}

      <h2>확인이 필요한 건</h2>
      <p>
        <Link href="/admin/alerts">알림 확인·해결하러 가기</Link>
      </p>
      {alerts.data && alerts.data.length === 0 && <p className="muted">없어요.</p>}
      {alerts.data && alerts.data.length > 0 && (
        <ul aria-label="운영자 확인 필요">
          {alerts.data.map((a) => (
            <li key={a.id}>
              {a.kind}
              {a.orderId ? ` · 주문 ${a.orderId}` : ''} · {a.message}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
