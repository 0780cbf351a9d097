import type { Metadata } from 'next';
import { AuthForm } from '../_components/auth-form';

export const metadata: Metadata = { title: '로그인 · 강의 결제' };

export default function SignInPage() {
  return (
    <>
      <h1>로그인</h1>
      <AuthForm mode="sign-in" />
    </>
  );
}
