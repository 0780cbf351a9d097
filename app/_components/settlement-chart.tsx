import { shortWon, valueAxis } from '../_lib/chart-scale';
import { won } from '../_lib/format';
import { ScrollArea } from './scroll-area';

export interface ChartDay {
  day: string;
  card: number;
  balance: number;
  net: number;
}

const CARD = '#2f5bea';
const BALANCE = '#12b76a';
const AXIS = '#5b6470';

const LEFT = 56; // room for the won labels of the y axis
const TOP = 22; // room for the value above the highest bar
const PLOT = 160;
const BOTTOM = 30; // room for the days of the x axis

/** "2026-11-05" → "11/5" */
const shortDay = (day: string) => `${Number(day.slice(5, 7))}/${Number(day.slice(8, 10))}`;

/**
 * Net course sales per day (sales less refunds), card and balance stacked: every day of the range,
 * zero days included, on a won axis, with each day's net above its bar and the range's totals below.
 * Wallet top-ups are prepaid money, not sales: they are never here. The same numbers are in the table
 * after it, for screen readers and for a long range whose labels would not fit.
 */
export function SettlementChart({
  days,
  totals,
}: {
  days: ChartDay[];
  totals: { card: number; balance: number; net: number };
}) {
  const stacks = days.map((d) => ({
    ...d,
    up: Math.max(0, d.card) + Math.max(0, d.balance),
    down: Math.min(0, d.card) + Math.min(0, d.balance),
  }));
  const axis = valueAxis(stacks.flatMap((s) => [s.up, s.down]));
  // A week fits a 375 px phone; longer ranges scroll sideways inside the figure, never the page.
  const slot = days.length <= 7 ? 38 : days.length <= 14 ? 30 : days.length <= 62 ? 14 : 6;
  const bar = slot >= 30 ? slot - 12 : Math.max(3, slot - 4);
  const labelEvery = days.length <= 14 ? 1 : Math.ceil(days.length / 10);
  const width = LEFT + Math.max(1, days.length) * slot + 8;
  const height = TOP + PLOT + BOTTOM;
  const y = (value: number) => TOP + ((axis.max - value) / (axis.max - axis.min)) * PLOT;

  return (
    <figure style={{ margin: '0 0 12px' }}>
      <ScrollArea label="일별 순매출 차트">
        <svg
          role="img"
          aria-label={`일별 순매출 차트: ${days[0]?.day ?? ''}부터 ${days.at(-1)?.day ?? ''}까지 ${days.length}일, 합계 ${won(totals.net)}`}
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          style={{ display: 'block', fontFamily: 'inherit' }}
        >
          {axis.ticks.map((tick) => (
            <g key={`y-${tick}`}>
              <line
                x1={LEFT}
                x2={width - 4}
                y1={y(tick)}
                y2={y(tick)}
                stroke={tick === 0 ? AXIS : '#e4e7ec'}
                strokeWidth={1}
              />
              <text x={LEFT - 6} y={y(tick) + 4} fontSize="11" fill={AXIS} textAnchor="end">
                {tick === 0 ? '0원' : `${shortWon(tick)}원`}
              </text>
            </g>
          ))}
          <line x1={LEFT} x2={LEFT} y1={TOP} y2={TOP + PLOT} stroke={AXIS} strokeWidth={1} />
          {stacks.map((s, i) => {
            const x = LEFT + i * slot + (slot - bar) / 2;
            const cardUp = Math.max(0, s.card);
            const balanceUp = Math.max(0, s.balance);
            const cardDown = Math.min(0, s.card);
            const balanceDown = Math.min(0, s.balance);
            const rect = (from: number, to: number, fill: string) =>
              from === to ? null : (
                <rect
                  x={x}
                  y={Math.min(y(from), y(to))}
                  width={bar}
                  height={Math.abs(y(from) - y(to))}
                  fill={fill}
                />
              );
            return (
              <g key={s.day}>
                <title>{`${s.day}: 카드 ${won(s.card)}, 잔액 ${won(s.balance)}, 순매출 ${won(s.net)}`}</title>
                {rect(0, cardUp, CARD)}
                {rect(cardUp, cardUp + balanceUp, BALANCE)}
                {rect(0, cardDown, CARD)}
                {rect(cardDown, cardDown + balanceDown, BALANCE)}
                {labelEvery === 1 && (
                  <text
                    x={x + bar / 2}
                    y={y(s.up) - 5}
                    fontSize="10"
                    fill={s.net === 0 ? AXIS : '#1b1f24'}
                    textAnchor="middle"
                  >
                    {shortWon(s.net)}
                  </text>
                )}
                {i % labelEvery === 0 && (
                  <text x={x + bar / 2} y={TOP + PLOT + 18} fontSize="11" fill={AXIS} textAnchor="middle">
                    {shortDay(s.day)}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
      </ScrollArea>
      <figcaption>
        <span aria-hidden="true" style={{ color: CARD }}>
          ■
        </span>{' '}
        카드 {won(totals.card)} ·{' '}
        <span aria-hidden="true" style={{ color: BALANCE }}>
          ■
        </span>{' '}
        잔액 {won(totals.balance)} · <strong>순매출 합계 {won(totals.net)}</strong>
        <span className="muted"> (환불 차감, 지갑 충전 제외)</span>
      </figcaption>
    </figure>
  );
}
