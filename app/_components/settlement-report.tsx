'use client';

import { useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/entry-points/trpc/router';
import { adminErrorMessage } from '../_lib/admin-error';
import { downloadCsv } from '../_lib/csv';
import { won } from '../_lib/format';
import type { DayRangeInput } from '../_lib/report-days';
import { useTRPC } from '../_lib/trpc';
import { ScrollArea } from './scroll-area';
import { SettlementChart } from './settlement-chart';

type Settlement = inferRouterOutputs<AppRouter>['admin']['settlement'];
type MovementKind = Settlement['wallet']['movements'][number]['kind'];

/** Cells keep to one line (the table scrolls inside its box on a phone); captions wrap as text does. */
const NO_WRAP = { whiteSpace: 'nowrap' } as const;
const CAPTION = { whiteSpace: 'normal', textAlign: 'left', padding: '4px 0' } as const;

const METHOD_LABEL = { CARD: '카드', BALANCE: '잔액' } as const;

const MOVEMENT_LABEL: Record<MovementKind, string> = {
  CARD_TOP_UP: '카드 충전',
  TEST_CHARGE: '테스트 충전',
  COURSE_PAYMENT: '강의 결제 (잔액 사용)',
  REFUND: '환불 (지갑으로)',
  CHARGE_CANCEL: '충전 취소',
  ADJUSTMENT: '관리자 조정',
  OTHER: '기타',
};

/** +1,000원 / −1,000원 / 0원: a change in the wallets' total. */
const signedWon = (amount: number) =>
  amount > 0 ? `+${won(amount)}` : amount < 0 ? `−${won(-amount)}` : won(0);

/**
 * 정산: course sales (the chart, by day, course and method, with totals), the wallets' movements and
 * what they held at the start and end of the range (선수금: money held for learners, not revenue), and
 * the card money Toss owes us.
 */
export function SettlementReport({ range }: { range: DayRangeInput }) {
  const trpc = useTRPC();
  const settlement = useQuery({ ...trpc.admin.settlement.queryOptions(range), retry: false });

  return (
    <section aria-labelledby="settlement-heading">
      <h2 id="settlement-heading">정산</h2>
      <p className="muted">
        강의 매출과 지갑의 선수금을 나눠 보여 줘요. 지갑 충전은 학습자에게 돌려줄 수도 있는 돈(선수금)이라
        매출이 아니고, 그 잔액으로 강의를 사면 그때 잔액 매출이 돼요.
      </p>
      {settlement.isError ? (
        <p className="error" role="alert">
          {adminErrorMessage(settlement.error)}
        </p>
      ) : settlement.isPending ? (
        <p className="muted">정산을 불러오는 중…</p>
      ) : (
        <Report report={settlement.data} range={range} />
      )}
    </section>
  );
}

function Report({ report, range }: { report: Settlement; range: DayRangeInput }) {
  const { sales, wallet, card } = report;
  const movements = wallet.movements.filter((m) => m.kind !== 'OTHER' || m.entries > 0);
  const credited = wallet.movements.reduce((sum, m) => sum + m.credited, 0);
  const debited = wallet.movements.reduce((sum, m) => sum + m.debited, 0);
  const entries = wallet.movements.reduce((sum, m) => sum + m.entries, 0);

  return (
    <>
      <h3>강의 매출</h3>
      <SettlementChart
        days={sales.days}
        totals={{ card: sales.totals.card.net, balance: sales.totals.balance.net, net: sales.totals.all.net }}
      />
      <ScrollArea label="강의 매출 표">
        <table style={NO_WRAP}>
          <caption style={CAPTION}>강의 매출 (날짜·강의·결제 수단별)</caption>
          <thead>
            <tr>
              <th scope="col">날짜</th>
              <th scope="col">강의</th>
              <th scope="col">결제 수단</th>
              <th scope="col" className="amount">
                매출
              </th>
              <th scope="col" className="amount">
                환불
              </th>
              <th scope="col" className="amount">
                순매출
              </th>
            </tr>
          </thead>
          <tbody>
            {sales.rows.length === 0 && (
              <tr>
                <td colSpan={6} className="muted">
                  기간 안에 강의 매출이 없어요.
                </td>
              </tr>
            )}
            {sales.rows.map((r) => (
              <tr key={`${r.day}-${r.courseId}-${r.method}`}>
                <td>{r.day}</td>
                <td>{r.title}</td>
                <td>{METHOD_LABEL[r.method]}</td>
                <td className="amount">{won(r.gross)}</td>
                <td className="amount">{won(r.refunds)}</td>
                <td className="amount">{won(r.net)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            {(
              [
                ['카드 합계', sales.totals.card],
                ['잔액 합계', sales.totals.balance],
                ['전체 합계', sales.totals.all],
              ] as const
            ).map(([label, sums]) => (
              <tr key={label}>
                <th scope="row" colSpan={3}>
                  {label}
                </th>
                <td className="amount">{won(sums.gross)}</td>
                <td className="amount">{won(sums.refunds)}</td>
                <td className="amount">{won(sums.net)}</td>
              </tr>
            ))}
          </tfoot>
        </table>
      </ScrollArea>

      <h3>지갑 (선수금)</h3>
      <dl className="summary">
        <dt>기간 시작 선수금 ({range.from} 0시)</dt>
        <dd>{won(wallet.liabilityAtStart)}</dd>
        <dt>기간 중 증감</dt>
        <dd>{signedWon(wallet.netMovement)}</dd>
        <dt>기간 끝 선수금 ({range.to} 24시)</dt>
        <dd>{won(wallet.liabilityAtEnd)}</dd>
      </dl>
      <p className="muted">
        선수금은 그 시점 모든 학습자 지갑 잔액의 합이에요. 시작 선수금에 기간 중 증감을 더하면 끝 선수금이
        돼요.
      </p>
      <ScrollArea label="선수금 증감 표">
        <table style={NO_WRAP}>
          <caption style={CAPTION}>선수금 증감 (종류별)</caption>
          <thead>
            <tr>
              <th scope="col">종류</th>
              <th scope="col" className="amount">
                건수
              </th>
              <th scope="col" className="amount">
                들어온 돈
              </th>
              <th scope="col" className="amount">
                나간 돈
              </th>
              <th scope="col" className="amount">
                증감
              </th>
            </tr>
          </thead>
          <tbody>
            {movements.map((m) => (
              <tr key={m.kind}>
                <th scope="row">{MOVEMENT_LABEL[m.kind]}</th>
                <td className="amount">{m.entries.toLocaleString('ko-KR')}건</td>
                <td className="amount">{won(m.credited)}</td>
                <td className="amount">{won(m.debited)}</td>
                <td className="amount">{signedWon(m.net)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">합계</th>
              <td className="amount">{entries.toLocaleString('ko-KR')}건</td>
              <td className="amount">{won(credited)}</td>
              <td className="amount">{won(debited)}</td>
              <td className="amount">{signedWon(wallet.netMovement)}</td>
            </tr>
          </tfoot>
        </table>
      </ScrollArea>

      <h3>토스에서 받을 카드 대금</h3>
      <ScrollArea label="카드 대금 표">
        <table style={NO_WRAP}>
          <caption style={CAPTION}>토스에서 받을 카드 대금 (기간 중 카드 승인 − 카드 취소)</caption>
          <tbody>
            <tr>
              <th scope="row">카드 강의 매출</th>
              <td className="amount">{signedWon(card.courseSales)}</td>
            </tr>
            <tr>
              <th scope="row">카드 충전</th>
              <td className="amount">{signedWon(card.topUps)}</td>
            </tr>
            <tr>
              <th scope="row">카드 강의 환불</th>
              <td className="amount">{signedWon(-card.courseRefunds)}</td>
            </tr>
            <tr>
              <th scope="row">카드 충전 취소</th>
              <td className="amount">{signedWon(-card.chargeCancels)}</td>
            </tr>
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">받을 금액</th>
              <td className="amount">
                <strong>{won(card.owed)}</strong>
              </td>
            </tr>
          </tfoot>
        </table>
      </ScrollArea>
      <p className="muted">대사는 이 카드 결제와 취소를 토스 거래내역과 한 건씩 비교해요.</p>

      <p className="row">
        <button
          type="button"
          className="secondary"
          onClick={() =>
            downloadCsv(
              `settlement-${range.from}-${range.to}.csv`,
              ['day', 'courseId', 'title', 'method', 'gross', 'refunds', 'net'],
              sales.rows.map((r) => [r.day, r.courseId, r.title, r.method, r.gross, r.refunds, r.net]),
            )
          }
        >
          정산 CSV 내보내기
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() =>
            downloadCsv(
              `wallet-liability-${range.from}-${range.to}.csv`,
              ['kind', 'entries', 'credited', 'debited', 'net'],
              [
                ['LIABILITY_AT_START', null, null, null, wallet.liabilityAtStart],
                ...wallet.movements.map((m) => [m.kind, m.entries, m.credited, m.debited, m.net]),
                ['LIABILITY_AT_END', null, null, null, wallet.liabilityAtEnd],
              ],
            )
          }
        >
          선수금 CSV 내보내기
        </button>
      </p>
    </>
  );
}
