'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useState } from 'react';
import { adminErrorMessage } from '../../_lib/admin-error';
import { dateTime, won } from '../../_lib/format';
import { methodLabel, orderStatusLabel } from '../../_lib/order-words';
import { useTRPC } from '../../_lib/trpc';
import { AdminOnly } from './admin-only';

/**
 * 결제 찾기: one box for an order number, a Toss paymentKey or a learner's email. The search is kept in
 * the address (?q=), so a result can be shared with a colleague and survives a reload.
 */
export function PaymentSearch() {
  return (
    <AdminOnly>
      <Suspense fallback={<p className="muted">불러오는 중…</p>}>
        <SearchForm />
      </Suspense>
    </AdminOnly>
  );
}

function SearchForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const query = useSearchParams().get('q') ?? '';
  const [text, setText] = useState(query);
  const [empty, setEmpty] = useState(false);
  const results = useQuery(
    trpc.admin.findPayments.queryOptions({ query }, { enabled: query.trim() !== '', retry: false }),
  );

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    if (!text.trim()) return setEmpty(true);
    setEmpty(false);
    router.push(`/admin/payments?q=${encodeURIComponent(text.trim())}`);
  }

  return (
    <>
      <search>
        <form className="card stack" aria-label="결제 찾기" onSubmit={onSubmit} noValidate>
          <label htmlFor="payment-query">주문 번호, 결제 키(paymentKey) 또는 학습자 이메일</label>
          <div className="row">
            <input
              id="payment-query"
              value={text}
              maxLength={254}
              autoComplete="off"
              onChange={(e) => {
                setText(e.target.value);
                setEmpty(false);
              }}
              aria-invalid={empty || undefined}
              aria-describedby={empty ? 'payment-query-error' : undefined}
            />
            <button type="submit">찾기</button>
          </div>
          {empty && (
            <p id="payment-query-error" className="error" role="alert">
              주문 번호, 결제 키(paymentKey) 또는 이메일을 입력해 주세요.
            </p>
          )}
        </form>
      </search>

      {query && results.isPending && <p className="muted">찾는 중…</p>}
      {results.isError && (
        <p className="error" role="alert">
          {adminErrorMessage(results.error)}
        </p>
      )}
      {results.data && results.data.length === 0 && (
        <p role="status">“{query}”에 해당하는 결제가 없어요. 주문 번호나 이메일을 다시 확인해 주세요.</p>
      )}
      {results.data && results.data.length > 0 && (
        <section aria-labelledby="payment-results">
          <h2 id="payment-results">찾은 결제 {results.data.length}건</h2>
          <ul className="cards">
            {results.data.map((order) => (
              <li key={order.orderId} className="card">
                <Link href={`/admin/payments/${encodeURIComponent(order.orderId)}`}>
                  <strong>{order.orderName}</strong>
                </Link>
                <dl className="facts">
                  <dt>주문번호</dt>
                  <dd>{order.orderId}</dd>
                  <dt>학습자</dt>
                  <dd>{order.email}</dd>
                  <dt>결제 수단</dt>
                  <dd>
                    {methodLabel({ method: order.method, walletAmount: order.walletAmount, card: null })}
                  </dd>
                  <dt>금액</dt>
                  <dd>{won(order.amount)}</dd>
                  <dt>상태</dt>
                  <dd>{orderStatusLabel(order)}</dd>
                  <dt>주문 일시</dt>
                  <dd>{dateTime(order.createdAt)}</dd>
                </dl>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
