import type { Metadata } from 'next';
import './globals.css';
import { SiteHeader } from './_components/site-header';
import { Providers } from './providers';

export const metadata: Metadata = {
  title: '강의 결제',
  description: '강의를 잔액으로 결제하는 온라인 강의 플랫폼의 결제 서비스',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="ko">
      <body>
        <Providers>
          <SiteHeader />
          <main>{children}</main>
        </Providers>
      </body>
    </html>
  );
}
