'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { errorMessage, invalidFields } from '../_lib/error-message';
import { useTRPC } from '../_lib/trpc';

/** `next`: where to go once signed in (a path on this site, see returnPath); the wallet otherwise. */
export function AuthForm({ mode, next }: { mode: 'sign-in' | 'sign-up'; next?: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [error, setError] = useState<{ text: string; fields: Set<string> } | null>(null);
  const options = {
    onSuccess: async () => {
      await queryClient.invalidateQueries();
      router.push(next ?? '/wallet');
    },
    onError: (e: unknown) => setError({ text: errorMessage(e), fields: invalidFields(e) }),
  };
  const signIn = useMutation(trpc.auth.signIn.mutationOptions(options));
  const signUp = useMutation(trpc.auth.signUp.mutationOptions(options));
  const pending = signIn.isPending || signUp.isPending;

  // A refusal that names fields is tied to them; one that names none (wrong password) to every field.
  const field = (name: string) => {
    const named = error && (error.fields.size === 0 || error.fields.has(name));
    return named ? { 'aria-invalid': true, 'aria-describedby': 'auth-error' } : {};
  };

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '');
    const password = String(form.get('password') ?? '');
    if (mode === 'sign-up') signUp.mutate({ email, password, name: String(form.get('name') ?? '') });
    else signIn.mutate({ email, password });
  }

  return (
    <form className="stack card" onSubmit={onSubmit} noValidate>
      {mode === 'sign-up' && (
        <>
          <label htmlFor="name">이름</label>
          <input id="name" name="name" autoComplete="name" required maxLength={50} {...field('name')} />
        </>
      )}
      <label htmlFor="email">이메일</label>
      <input id="email" name="email" type="email" autoComplete="email" required {...field('email')} />
      <label htmlFor="password">비밀번호</label>
      <input
        id="password"
        name="password"
        type="password"
        autoComplete={mode === 'sign-up' ? 'new-password' : 'current-password'}
        required
        minLength={mode === 'sign-up' ? 8 : undefined}
        {...field('password')}
      />
      {mode === 'sign-up' && <p className="muted">8자 이상</p>}
      {error && (
        <p id="auth-error" className="error" role="alert">
          {error.text}
        </p>
      )}
      <div className="row" style={{ marginTop: 16 }}>
        <button type="submit" disabled={pending}>
          {mode === 'sign-up' ? '회원가입' : '로그인'}
        </button>
        {mode === 'sign-up' ? (
          <Link href={next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in'}>
            이미 계정이 있나요?
          </Link>
        ) : (
          <Link href={next ? `/sign-up?next=${encodeURIComponent(next)}` : '/sign-up'}>계정 만들기</Link>
        )}
      </div>
    </form>
  );
}
