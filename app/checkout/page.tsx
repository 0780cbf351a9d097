import type { Metadata } from 'next';
import { OpenCheckoutLink } from '../_components/open-checkout-link';

export const metadata: Metadata = { title: '결제 링크 · 강의 결제' };

/** A service's signed checkout link, /checkout?intent=<payload>.<signature> (README, "Signed checkout links"). */
export default async function CheckoutLinkPage({
  searchParams,
}: {
  searchParams: Promise<{ intent?: string | string[] }>;
}) {
  const { intent } = await searchParams;
  return (
    <>
      <h1>결제하기</h1>
      <OpenCheckoutLink intent={typeof intent === 'string' ? intent : ''} />
    </>
  );
}
