import type { Metadata } from 'next';
import { tossConfig } from '@/server/building-blocks/toss/toss-config';
import { CheckoutWidget } from '../../_components/checkout-widget';

export const metadata: Metadata = { title: '결제하기 · 강의 결제' };

export const dynamic = 'force-dynamic';

/** Only the client key (public by design) and the widget script's address reach the browser. */
export default async function CheckoutPage({ params }: { params: Promise<{ orderId: string }> }) {
  const { orderId } = await params;
  const config = tossConfig();
  return (
    <>
      <h1>결제하기</h1>
      <CheckoutWidget
        orderId={orderId}
        clientKey={config.clientKey}
        widgetScriptUrl={config.widgetScriptUrl}
      />
    </>
  );
}
