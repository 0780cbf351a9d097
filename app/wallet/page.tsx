import { WalletOverview } from '../_components/wallet-overview';

export default function WalletPage() {
  return (
    <>
      <h1>내 지갑</h1>
      <WalletOverview />
    </>
  );
}
