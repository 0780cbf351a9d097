import { AuthForm } from '../_components/auth-form';

export default function SignInPage() {
  return (
    <>
      <h1>로그인</h1>
      <AuthForm mode="sign-in" />
    </>
  );
}
