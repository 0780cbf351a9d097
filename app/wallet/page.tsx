import type { Metadata } from 'next';
import { tossConfig } from '@/server/building-blocks/toss/toss-config';
import { WalletOverview } from '../_components/wallet-overview';

export const metadata: Metadata = { title: '내 지갑 · 강의 결제' };

export default function WalletPage() {
  return (
    <>
      <h1>내 지갑</h1>
      <WalletOverview testCharge={tossConfig().sandbox} />
    </>
  );
}
