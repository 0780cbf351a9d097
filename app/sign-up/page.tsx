import type { Metadata } from 'next';
import { AuthForm } from '../_components/auth-form';
import { returnPath } from '../_lib/return-path';

export const metadata: Metadata = { title: '회원가입 · 강의 결제' };

/** `?next=/path`: where to go once signed in (e.g. back to a signed checkout link). */
export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  const next = returnPath((await searchParams).next);
  return (
    <>
      <h1>회원가입</h1>
      <AuthForm mode="sign-up" next={next} />
    </>
  );
}
