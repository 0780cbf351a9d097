'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { loadPaymentWidget, type PaymentWidgetInstance } from '@tosspayments/payment-widget-sdk';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../_lib/error-message';
import { won } from '../_lib/format';
import { signInReturningTo } from '../_lib/return-path';
import { tossMessage } from '../_lib/toss-messages';
import { useTRPC } from '../_lib/trpc';

/**
 * Renders Toss's payment widget for a server-created order. The amount comes from the order the server
 * stored; the browser never decides it, and confirm checks it again before anything is granted.
 */
export function CheckoutWidget(props: { orderId: string; clientKey: string; widgetScriptUrl?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const me = useQuery(trpc.auth.me.queryOptions());
  // Giving up at checkout, as the widget's own cancel does: the order fails, nothing is charged, and a
  // composite order's held wallet part is released at once instead of at the hold's expiry.
  const queryClient = useQueryClient();
  const giveUp = useMutation(
    trpc.payment.fail.mutationOptions({
      onSuccess: async (order) => {
        // The order page and the wallet were read before: show them as they now are.
        await queryClient.invalidateQueries();
        router.push(`/orders/${order.orderId}`);
      },
    }),
  );
  const order = useQuery({
    ...trpc.order.get.queryOptions({ orderId: props.orderId }),
    enabled: Boolean(me.data),
    retry: false,
  });
  const widget = useRef<PaymentWidgetInstance | null>(null);
  const [ready, setReady] = useState(false);
  const [paying, setPaying] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const payable = order.data?.status === 'CREATED' ? order.data : null;
  const userId = me.data?.id;

  useEffect(() => {
    if (!payable || !userId || widget.current) return;
    let cancelled = false;
    loadPaymentWidget(
      props.clientKey,
      `user-${userId}`,
      undefined,
      props.widgetScriptUrl ? { src: props.widgetScriptUrl } : {},
    )
      .then((loaded) => {
        if (cancelled) return;
        widget.current = loaded;
        // The card is asked for its part only: a composite order's wallet part is already held.
        const methods = loaded.renderPaymentMethods('#payment-method', { value: payable.cardAmount });
        loaded.renderAgreement('#agreement');
        methods.on('ready', () => setReady(true));
      })
      .catch(() => setError('결제 위젯을 불러오지 못했습니다. 새로고침해 주세요.'));
    return () => {
      cancelled = true;
    };
  }, [payable, userId, props.clientKey, props.widgetScriptUrl]);

  async function pay() {
    if (!widget.current || !payable || paying) return;
    setPaying(true);
    setError(null);
    try {
      await widget.current.requestPayment({
        orderId: payable.orderId,
        orderName: payable.orderName,
        customerName: me.data?.name,
        customerEmail: me.data?.email,
        successUrl: `${window.location.origin}/success`,
        failUrl: `${window.location.origin}/fail`,
      });
    } catch (e) {
      const code = (e as { code?: string }).code;
      setError(tossMessage(code, (e as Error).message));
      setPaying(false);
    }
  }

  if (me.isPending || (me.data && order.isPending)) return <p className="muted">주문을 불러오는 중…</p>;
  if (!me.data) {
    return (
      <p>
        결제하려면 <Link href={signInReturningTo(`/checkout/${props.orderId}`)}>로그인</Link>하세요.
      </p>
    );
  }
  if (order.isError || !order.data)
    return (
      <p className="error" role="alert">
        주문을 찾을 수 없어요. 내 결제 내역에서 주문을 확인해 주세요.
      </p>
    );
  if (!payable) {
    return (
      <section className="card">
        <p>이 주문은 더 이상 결제할 수 없습니다 (상태: {order.data.status}).</p>
        <Link href="/">강의 목록으로</Link>
      </section>
    );
  }

  return (
    <section className="card" aria-label="주문 결제">
      <h2 style={{ marginTop: 0 }}>{payable.orderName}</h2>
      {payable.walletAmount > 0 ? (
        <dl className="summary" aria-label="결제 나누기">
          <dt>강의 가격</dt>
          <dd>{won(payable.amount)}</dd>
          <dt>잔액 사용</dt>
          <dd>{won(payable.walletAmount)}</dd>
          <dt>카드 결제</dt>
          <dd>{won(payable.cardAmount)}</dd>
        </dl>
      ) : (
        <p className="price">결제 금액 {won(payable.amount)}</p>
      )}
      <div id="payment-method" />
      <div id="agreement" />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {giveUp.isError && (
        <p className="error" role="alert">
          {errorMessage(giveUp.error)}
        </p>
      )}
      <div className="row">
        <button type="button" onClick={pay} disabled={!ready || paying || giveUp.isPending}>
          {paying ? '결제 진행 중…' : `${won(payable.cardAmount)} 결제하기`}
        </button>
        <button
          type="button"
          className="secondary"
          disabled={paying || giveUp.isPending}
          onClick={() =>
            giveUp.mutate({
              orderId: payable.orderId,
              code: 'PAY_PROCESS_CANCELED',
              message: '결제를 그만두었어요',
            })
          }
        >
          {payable.walletAmount > 0
            ? `결제 그만두기 (잔액 ${won(payable.walletAmount)} 돌려받기)`
            : '결제 그만두기'}
        </button>
      </div>
    </section>
  );
}
