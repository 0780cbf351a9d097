import type { Metadata } from 'next';
import { WalletAdjustment } from '../../_components/admin/wallet-adjustment';

export const metadata: Metadata = { title: '관리자: 지갑 조정 · 강의 결제' };

export default function AdminWalletAdjustmentPage() {
  return (
    <>
      <h1>관리자: 지갑 조정</h1>
      <WalletAdjustment />
    </>
  );
}
