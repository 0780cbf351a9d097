import { won } from '../_lib/format';

interface Row {
  day: string;
  method: 'BALANCE' | 'CARD';
  net: number;
  courseId: string | null;
}

/** Net course sales per day, card and balance stacked (wallet charges are prepaid money, not sales). */
export function SettlementChart({ rows }: { rows: Row[] }) {
  const days = [...new Set(rows.map((r) => r.day))].sort();
  const sales = rows.filter((r) => r.courseId !== null);
  const totals = days.map((day) => ({
    day,
    card: sales.filter((r) => r.day === day && r.method === 'CARD').reduce((s, r) => s + r.net, 0),
    balance: sales.filter((r) => r.day === day && r.method === 'BALANCE').reduce((s, r) => s + r.net, 0),
  }));
  const max = Math.max(1, ...totals.map((t) => Math.max(0, t.card) + Math.max(0, t.balance)));
  const barWidth = 36;
  const gap = 18;
  const height = 160;
  const width = Math.max(240, totals.length * (barWidth + gap) + gap);
  if (totals.length === 0) return <p className="muted">기간 안에 매출이 없습니다.</p>;

  return (
    <figure style={{ margin: 0 }}>
      <svg role="img" aria-label="일별 순매출 (카드, 잔액)" width={width} height={height + 40}>
        {totals.map((t, i) => {
          const x = gap + i * (barWidth + gap);
          const cardHeight = (Math.max(0, t.card) / max) * height;
          const balanceHeight = (Math.max(0, t.balance) / max) * height;
          return (
            <g key={t.day}>
              <title>{`${t.day}: 카드 ${won(t.card)}, 잔액 ${won(t.balance)}`}</title>
              <rect x={x} y={height - cardHeight} width={barWidth} height={cardHeight} fill="#2f5bea" />
              <rect
                x={x}
                y={height - cardHeight - balanceHeight}
                width={barWidth}
                height={balanceHeight}
                fill="#12b76a"
              />
              <text x={x + barWidth / 2} y={height + 16} fontSize="10" textAnchor="middle">
                {t.day.slice(5)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="muted">
        <span style={{ color: '#2f5bea' }}>■</span> 카드 <span style={{ color: '#12b76a' }}>■</span> 잔액
        (순매출, 환불 차감)
      </figcaption>
    </figure>
  );
}
