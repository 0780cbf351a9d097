import Link from 'next/link';
import { won } from '../_lib/format';
import { orderOutcome } from '../_lib/order-words';

interface OrderLike {
  orderId: string;
  type: 'COURSE' | 'CHARGE';
  status: Parameters<typeof orderOutcome>[0]['status'];
  amount: number;
  orderName: string;
  refundedAmount: number;
  failureCode: string | null;
}

/**
 * What a card payment came to, for the learner, whatever became of it since: the success page may be
 * opened again long after (refunded, cancelled, failed, approved in another tab), and must never claim
 * something that is no longer true.
 */
export function OrderResult({ order, balance }: { order: OrderLike; balance: number }) {
  const orderLink = <Link href={`/orders/${order.orderId}`}>주문 상세 보기</Link>;
  if (order.status === 'APPROVED') {
    return (
      <section className="card" aria-label="결제 결과">
        <h2 style={{ marginTop: 0 }}>결제가 완료되었습니다</h2>
        {order.type === 'COURSE' ? (
          <p>
            <strong>{order.orderName}</strong> 수강을 시작할 수 있습니다. ({won(order.amount)} 카드 결제 ·
            지갑 잔액 {won(balance)})
          </p>
        ) : (
          <p>
            지갑에 <strong>{won(order.amount)}</strong> 충전되었습니다. 현재 잔액{' '}
            <strong>{won(balance)}</strong>
          </p>
        )}
        <p className="row">
          <Link href="/">강의 목록</Link>
          <Link href="/wallet">내 지갑</Link>
          {orderLink}
        </p>
      </section>
    );
  }
  const outcome = orderOutcome(order);
  const pending = outcome.tone === 'pending';
  return (
    <section className="card" aria-label="결제 결과">
      <div role={pending ? 'status' : 'alert'}>
        <h2 style={{ marginTop: 0 }}>{outcome.title}</h2>
        <p>{outcome.text}</p>
      </div>
      <p className="row">
        {orderLink}
        <Link href="/orders">내 결제 내역</Link>
        <Link href="/wallet">내 지갑</Link>
      </p>
    </section>
  );
}
