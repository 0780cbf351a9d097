'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useTRPC } from '../_lib/trpc';

export function SiteHeader() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const me = useQuery(trpc.auth.me.queryOptions());
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      onSuccess: async () => {
        queryClient.clear();
        router.push('/');
      },
    }),
  );

  return (
    <header className="site">
      <nav aria-label="주 메뉴">
        <Link href="/">
          <strong>강의 목록</strong>
        </Link>
        <Link href="/wallet">내 지갑</Link>
        {me.data && <Link href="/orders">내 결제 내역</Link>}
        {me.data?.isAdmin && <Link href="/admin">관리자</Link>}
        <span className="spacer" />
        {me.data ? (
          <>
            <span>{me.data.name}님</span>
            <button
              type="button"
              className="secondary"
              onClick={() => signOut.mutate()}
              disabled={signOut.isPending}
            >
              로그아웃
            </button>
          </>
        ) : me.isSuccess ? (
          <>
            <Link href="/sign-in">로그인</Link>
            <Link href="/sign-up">회원가입</Link>
          </>
        ) : null}
      </nav>
    </header>
  );
}
