import type { Metadata } from 'next';
import { AuthForm } from '../_components/auth-form';
import { returnPath } from '../_lib/return-path';

export const metadata: Metadata = { title: '로그인 · 강의 결제' };

/** `?next=/path`: where to go once signed in (e.g. back to a signed checkout link). */
export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  const next = returnPath((await searchParams).next);
  return (
    <>
      <h1>로그인</h1>
      <AuthForm mode="sign-in" next={next} />
    </>
  );
}
