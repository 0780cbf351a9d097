'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { dateTime, won } from '../_lib/format';
import { ledgerEntryKind, ledgerEntrySubject } from '../_lib/ledger-words';
import { useTRPC } from '../_lib/trpc';
import { LoadMore } from './load-more';

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
      <table className="stacked" aria-label="거래 내역">
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
              <td data-label="일시">{dateTime(item.createdAt)}</td>
              <td data-label="구분">{ledgerEntryKind(item)}</td>
              <td data-label="내용">
                {item.orderId ? (
                  <Link href={`/orders/${item.orderId}`}>{ledgerEntrySubject(item)}</Link>
                ) : (
                  ledgerEntrySubject(item)
                )}
              </td>
              <td data-label="금액" className="amount">
                {item.amount > 0 ? '+' : ''}
                {won(item.amount)}
              </td>
              <td data-label="잔액" className="amount">
                {won(item.balanceAfter)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <LoadMore query={history} />
    </>
  );
}
