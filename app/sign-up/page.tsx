import type { Metadata } from 'next';
import { AuthForm } from '../_components/auth-form';

export const metadata: Metadata = { title: '회원가입 · 강의 결제' };

export default function SignUpPage() {
  return (
    <>
      <h1>회원가입</h1>
      <AuthForm mode="sign-up" />
    </>
  );
}
