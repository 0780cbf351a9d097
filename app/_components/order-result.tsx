import Link from 'next/link';
import { won } from '../_lib/format';

interface OrderLike {
  type: 'COURSE' | 'CHARGE';
  status: string;
  amount: number;
  orderName: string;
}

/** What a confirmed (or still uncertain) card payment means for the learner. */
export function OrderResult({ order, balance }: { order: OrderLike; balance: number }) {
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
        </p>
      </section>
    );
  }
  if (order.status === 'CANCELED' || order.status === 'CANCEL_PENDING') {
    return (
      <section className="card" role="alert">
        <h2 style={{ marginTop: 0 }}>결제를 취소했습니다</h2>
        <p>
          {order.type === 'CHARGE'
            ? '그 사이 잔액이 늘어 충전하면 100,000원 한도를 넘게 되어, 카드 결제를 자동으로 취소했습니다.'
            : '이미 수강 중인 강의라 카드 결제를 자동으로 취소했습니다.'}{' '}
          {order.status === 'CANCEL_PENDING' ? '취소를 처리하고 있습니다.' : '청구된 금액은 없습니다.'}
        </p>
        <Link href="/wallet">내 지갑</Link>
      </section>
    );
  }
  return (
    <section className="card" role="status">
      <h2 style={{ marginTop: 0 }}>결제를 확인하고 있습니다</h2>
      <p>
        토스페이먼츠의 응답이 늦어지고 있습니다. 결제가 확인되면 자동으로 반영되며, 확인되지 않은 결제는
        청구되지 않습니다. 잠시 후 다시 확인해 주세요.
      </p>
    </section>
  );
}
