'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { won } from '../_lib/format';
import { useTRPC } from '../_lib/trpc';
import { ChargeForm } from './charge-form';
import { CourseCatalogue } from './course-catalogue';
import { WalletHistory } from './wallet-history';

/** `testCharge`: sandbox mode, where the seed's test charge (no card) is offered beside the card. */
export function WalletOverview({ testCharge }: { testCharge: boolean }) {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const wallet = useQuery({ ...trpc.wallet.get.queryOptions(), enabled: Boolean(me.data) });

  if (me.isPending) return <p className="muted">불러오는 중…</p>;
  if (!me.data) {
    return (
      <p>
        지갑을 보려면 <Link href="/sign-in">로그인</Link>하세요.
      </p>
    );
  }

  return (
    <>
      <section className="card" aria-label="잔액">
        <div className="muted">현재 잔액</div>
        <output className="balance" aria-label="현재 잔액">
          {wallet.data ? won(wallet.data.balance) : '…'}
        </output>
        <div className="muted">최대 100,000원까지 보유할 수 있습니다.</div>
      </section>
      <h2>충전</h2>
      <ChargeForm testCharge={testCharge} />
      <h2>잔액으로 강의 결제</h2>
      <CourseCatalogue />
      <h2>거래 내역</h2>
      <WalletHistory />
    </>
  );
}
