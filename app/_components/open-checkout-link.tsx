'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { errorMessage, REASON_MESSAGES } from '../_lib/error-message';
import { signInReturningTo } from '../_lib/return-path';
import { useTRPC } from '../_lib/trpc';

/**
 * Opens a signed checkout link for the signed-in learner: the server checks it and makes (or finds) its
 * order, and the learner goes on to pay it (/checkout/<orderId>), or to the order once it is paid. Not
 * signed in: the sign-in page first, coming back here. A refused link says why, in words.
 */
export function OpenCheckoutLink({ intent }: { intent: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const me = useQuery(trpc.auth.me.queryOptions());
  const open = useMutation(
    trpc.order.openCheckoutIntent.mutationOptions({
      onSuccess: (order) =>
        router.replace(
          order.status === 'CREATED' ? `/checkout/${order.orderId}` : `/orders/${order.orderId}`,
        ),
    }),
  );
  const started = useRef(false);
  const here = `/checkout?intent=${encodeURIComponent(intent)}`;

  useEffect(() => {
    if (!intent || me.isPending || me.isError || started.current) return;
    if (!me.data) {
      router.replace(signInReturningTo(here));
      return;
    }
    started.current = true;
    open.mutate({ intent });
  }, [intent, me.isPending, me.isError, me.data, here, router, open]);

  if (!intent || open.isError) {
    const reason = open.error instanceof TRPCClientError ? open.error.data?.reason : undefined;
    return (
      <section className="card" aria-label="결제 링크를 열 수 없어요">
        <h2 style={{ marginTop: 0 }}>결제 링크를 열 수 없어요</h2>
        <p className="error" role="alert">
          {intent ? errorMessage(open.error) : REASON_MESSAGES.CHECKOUT_LINK_INVALID}
        </p>
        <div className="row">
          {reason === 'CHECKOUT_LINK_OTHER_ACCOUNT' && (
            <Link href={signInReturningTo(here)}>다른 계정으로 로그인</Link>
          )}
          <Link href="/">강의 목록으로</Link>
        </div>
      </section>
    );
  }
  if (me.isError) {
    return (
      <p className="error" role="alert">
        {errorMessage(me.error)}
      </p>
    );
  }
  return (
    <p className="muted" role="status">
      결제 링크를 불러오는 중…
    </p>
  );
}
