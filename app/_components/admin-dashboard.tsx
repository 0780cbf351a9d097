'use client';

import { useQuery } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import Link from 'next/link';
import { useState } from 'react';
import { downloadCsv } from '../_lib/csv';
import { errorMessage } from '../_lib/error-message';
import { won } from '../_lib/format';
import { useTRPC } from '../_lib/trpc';
import { SettlementChart } from './settlement-chart';

const KIND_LABEL: Record<string, string> = {
  MISSING_LOCAL: '우리 기록 없음',
  MISSING_AT_TOSS: '토스 기록 없음',
  AMOUNT_MISMATCH: '금액 불일치',
  STATUS_MISMATCH: '취소 상태 불일치',
};

function kstToday(offsetDays = 0) {
  return new Date(Date.now() + 9 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

function isForbidden(error: unknown) {
  return (
    error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === 'FORBIDDEN'
  );
}

export function AdminDashboard() {
  const trpc = useTRPC();
  const [range, setRange] = useState({ from: kstToday(-6), to: kstToday() });
  const [applied, setApplied] = useState(range);
  const reconcile = useQuery({ ...trpc.admin.reconcile.queryOptions(applied), retry: false });
  const settlement = useQuery({ ...trpc.admin.settlement.queryOptions(applied), retry: false });
  const invariants = useQuery({ ...trpc.admin.invariants.queryOptions(), retry: false });
  const alerts = useQuery({ ...trpc.admin.alerts.queryOptions(), retry: false });

  if ([reconcile, settlement, invariants, alerts].some((q) => isForbidden(q.error))) {
    return (
      <p className="error" role="alert">
        관리자만 볼 수 있는 페이지입니다.
      </p>
    );
  }

  const differences = reconcile.data?.differences ?? [];
  const rows = settlement.data?.rows ?? [];

  return (
    <>
      <form
        className="card row"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(range);
        }}
        aria-label="기간"
      >
        <label htmlFor="from" style={{ margin: 0 }}>
          시작일
        </label>
        <input
          id="from"
          type="date"
          value={range.from}
          onChange={(e) => setRange({ ...range, from: e.target.value })}
          style={{ width: 170 }}
        />
        <label htmlFor="to" style={{ margin: 0 }}>
          종료일
        </label>
        <input
          id="to"
          type="date"
          value={range.to}
          onChange={(e) => setRange({ ...range, to: e.target.value })}
          style={{ width: 170 }}
        />
        <button type="submit">조회</button>
      </form>

      <h2>대사 (토스 거래내역과 비교)</h2>
      {reconcile.isError ? (
        <p className="error" role="alert">
          {errorMessage(reconcile.error)}
        </p>
      ) : reconcile.isPending ? (
        <p className="muted">토스 거래내역과 비교하는 중…</p>
      ) : differences.length === 0 ? (
        <p className="success">차이가 없습니다.</p>
      ) : (
        <table aria-label="대사 차이">
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
          CSV 내보내기
        </button>
      </p>

      <h2>장부 점검</h2>
      {invariants.data && invariants.data.violations.length === 0 && (
        <p className="success">모든 규칙을 지킵니다.</p>
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
      {alerts.data && alerts.data.length === 0 && <p className="muted">없습니다.</p>}
      {alerts.data && alerts.data.length > 0 && (
        <ul aria-label="운영자 확인 필요">
          {alerts.data.map((a) => (
            <li key={a.id}>
              {a.kind} · 주문 {a.orderId} · {a.message}
            </li>
          ))}
        </ul>
      )}

      <h2>정산</h2>
      <SettlementChart rows={rows} />
      <table aria-label="정산">
        <thead>
          <tr>
            <th>날짜</th>
            <th>강의</th>
            <th>결제 수단</th>
            <th className="amount">매출</th>
            <th className="amount">환불</th>
            <th className="amount">순매출</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.day}-${r.courseId}-${r.method}`}>
              <td>{r.day}</td>
              <td>{r.title}</td>
              <td>{r.method === 'CARD' ? '카드' : '잔액'}</td>
              <td className="amount">{won(r.gross)}</td>
              <td className="amount">{won(r.refunds)}</td>
              <td className="amount">{won(r.net)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <button
          type="button"
          className="secondary"
          onClick={() =>
            downloadCsv(
              `settlement-${applied.from}-${applied.to}.csv`,
              ['day', 'courseId', 'title', 'method', 'gross', 'refunds', 'net'],
              rows.map((r) => [r.day, r.courseId, r.title, r.method, r.gross, r.refunds, r.net]),
            )
          }
        >
          정산 CSV 내보내기
        </button>
      </p>
    </>
  );
}
