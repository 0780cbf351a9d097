import type { Metadata } from 'next';
import './globals.css';
import { tossConfig } from '@/server/building-blocks/toss/toss-config';
import { SiteHeader } from './_components/site-header';
import { Providers } from './providers';

// Every page is rendered per request: it carries the request's CSP nonce (server/entry-points/http/security-headers.ts)
// and the mode banner.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: '강의 결제',
  description: '강의를 잔액으로 결제하는 온라인 강의 플랫폼의 결제 서비스',
};

/** Any mode but live says so on every page: payments there move no real money. */
function TestModeBanner() {
  const { mode } = tossConfig();
  if (mode === 'live') return null;
  return (
    <aside className="test-mode" aria-label="테스트 모드">
      <strong>테스트 모드</strong> · 실제 돈이 오가지 않아요.{' '}
      {mode === 'sandbox'
        ? '카드 결제와 충전은 모두 연습용이에요.'
        : '토스페이먼츠 테스트 키로 연결되어 있어 테스트 카드로만 결제돼요.'}
    </aside>
  );
}

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="ko">
      <body>
        <TestModeBanner />
        <Providers>
          <SiteHeader />
          <main>{children}</main>
        </Providers>
      </body>
    </html>
  );
}
