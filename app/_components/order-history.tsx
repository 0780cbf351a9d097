'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { dateTime, won } from '../_lib/format';
import { methodLabel, orderStatusLabel } from '../_lib/order-words';
import { useTRPC } from '../_lib/trpc';
import { LoadMore } from './load-more';

/** 내 결제 내역: every order of the learner, newest first, ten at a time. */
export function OrderHistory() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const history = useInfiniteQuery(
    trpc.order.history.infiniteQueryOptions(
      { limit: 10 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, enabled: Boolean(me.data) },
    ),
  );

  if (me.isSuccess && !me.data)
    return (
      <p>
        <Link href="/sign-in">로그인</Link>하면 결제 내역을 볼 수 있어요.
      </p>
    );
  if (history.isPending) return <p className="muted">결제 내역을 불러오는 중…</p>;
  if (history.isError)
    return (
      <p className="error" role="alert">
        결제 내역을 불러오지 못했어요. 새로고침해 주세요.
      </p>
    );
  const orders = history.data.pages.flatMap((page) => page.items);
  if (orders.length === 0)
    return (
      <p className="muted">
        아직 결제 내역이 없어요. <Link href="/">강의 둘러보기</Link>
      </p>
    );

  return (
    <>
      <table className="stacked" aria-label="결제 내역">
        <thead>
          <tr>
            <th>일시</th>
            <th>주문</th>
            <th>결제 수단</th>
            <th className="amount">금액</th>
            <th>상태</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((order) => (
            <tr key={order.orderId}>
              <td data-label="일시">{dateTime(order.createdAt)}</td>
              <td data-label="주문">
                <Link href={`/orders/${order.orderId}`}>{order.orderName}</Link>
                <br />
                <small className="muted">
                  {order.type === 'COURSE' ? '강의' : '지갑 충전'} · 주문번호 {order.orderId}
                </small>
              </td>
              <td data-label="결제 수단">{methodLabel(order)}</td>
              <td data-label="금액" className="amount">
                {won(order.amount)}
              </td>
              <td data-label="상태">{orderStatusLabel(order)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <LoadMore query={history} />
    </>
  );
}
