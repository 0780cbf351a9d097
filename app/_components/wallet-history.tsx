'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { dateTime, won } from '../_lib/format';
import { useTRPC } from '../_lib/trpc';

const TYPE_LABEL = {
  CHARGE: '충전',
  PAYMENT: '결제',
  REFUND: '환불',
  CHARGE_CANCEL: '충전 취소',
  ADJUSTMENT: '관리자 조정',
} as const;

export function WalletHistory() {
  const trpc = useTRPC();
  const history = useInfiniteQuery(
    trpc.wallet.transactions.infiniteQueryOptions(
      { limit: 10 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );

  if (history.isPending) return <p className="muted">내역을 불러오는 중…</p>;
  if (history.isError) return <p className="error">내역을 불러오지 못했습니다.</p>;
  const items = history.data.pages.flatMap((page) => page.items);
  if (items.length === 0) return <p className="muted">아직 거래 내역이 없습니다.</p>;

  return (
    <>
      <table aria-label="거래 내역">
        <thead>
          <tr>
            <th>일시</th>
            <th>구분</th>
            <th>내용</th>
            <th className="amount">금액</th>
            <th className="amount">잔액</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              <td>{dateTime(item.createdAt)}</td>
              <td>{TYPE_LABEL[item.type]}</td>
              <td>{item.type === 'ADJUSTMENT' ? '잔액 조정' : (item.courseTitle ?? '잔액 충전')}</td>
              <td className="amount">
                {item.amount > 0 ? '+' : ''}
                {won(item.amount)}
              </td>
              <td className="amount">{won(item.balanceAfter)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {history.hasNextPage && (
        <p>
          <button
            type="button"
            className="secondary"
            onClick={() => history.fetchNextPage()}
            disabled={history.isFetchingNextPage}
          >
            더 보기
          </button>
        </p>
      )}
    </>
  );
}
