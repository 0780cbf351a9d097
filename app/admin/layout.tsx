import Link from 'next/link';

/** Every operator page shares this menu; each page itself checks the role (its queries are FORBIDDEN otherwise). */
export default function AdminLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
      <nav aria-label="관리자 메뉴" className="row admin-nav">
        <Link href="/admin">대사 · 정산</Link>
        <Link href="/admin/payments">결제 찾기</Link>
        <Link href="/admin/alerts">확인 필요 알림</Link>
        <Link href="/admin/wallet">지갑 조정</Link>
        <Link href="/admin/courses">강의 관리</Link>
        <Link href="/admin/service-keys">서비스 키</Link>
        <Link href="/admin/webhooks">웹훅</Link>
        <Link href="/admin/audit">감사 기록</Link>
      </nav>
      {children}
    </>
  );
}
