import { AuthForm } from '../_components/auth-form';

export default function SignUpPage() {
  return (
    <>
      <h1>회원가입</h1>
      <AuthForm mode="sign-up" />
    </>
  );
}
