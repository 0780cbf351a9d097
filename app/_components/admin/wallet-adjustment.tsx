'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { adminErrorMessage, reasonOf, wholeWon } from '../../_lib/admin-error';
import { isDefiniteAnswer } from '../../_lib/error-message';
import { won } from '../../_lib/format';
import { useTRPC } from '../../_lib/trpc';
import { useRequestId } from '../../_lib/use-request-id';
import { AdminOnly } from './admin-only';

type Field = 'email' | 'amount' | 'reason';

/**
 * 지갑 조정: credit or debit a learner's wallet with a reason. One submit is one intent with one
 * requestId (a retry after a network failure cannot apply it twice); any change to the form is a new one.
 */
export function WalletAdjustment() {
  return (
    <AdminOnly>
      <WalletAdjustmentForm />
    </AdminOnly>
  );
}

function WalletAdjustmentForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const requestId = useRequestId();
  const inFlight = useRef(false);
  const [form, setForm] = useState({
    email: '',
    direction: 'CREDIT' as 'CREDIT' | 'DEBIT',
    amount: '',
    reason: '',
  });
  const [error, setError] = useState<{ field?: Field; text: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const adjust = useMutation(
    trpc.admin.adjustWallet.mutationOptions({
      onSuccess: (result) => {
        requestId.settle();
        const what = result.amount > 0 ? `${won(result.amount)} 지급` : `${won(-result.amount)} 차감`;
        setDone(
          `${result.email}님의 잔액을 조정했어요: ${what}. 잔액 ${won(result.balanceBefore)} → ${won(result.balanceAfter)}`,
        );
        setForm((f) => ({ ...f, amount: '', reason: '' }));
      },
      onError: (e) => {
        if (isDefiniteAnswer(e)) requestId.settle();
        setError({
          text:
            reasonOf(e) === 'INSUFFICIENT_BALANCE'
              ? '학습자의 잔액보다 많이 차감할 수 없어요. 지금 잔액을 확인해 주세요.'
              : adminErrorMessage(e),
        });
      },
      onSettled: async () => {
        inFlight.current = false;
        await queryClient.invalidateQueries();
      },
    }),
  );

  function change(patch: Partial<typeof form>) {
    setForm((f) => ({ ...f, ...patch }));
    setError(null);
    setDone(null);
    requestId.settle(); // a different adjustment is a different intent
  }

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    if (inFlight.current) return;
    setDone(null);
    const amount = wholeWon(form.amount);
    if (!form.email.trim()) return setError({ field: 'email', text: '학습자 이메일을 입력해 주세요.' });
    if (amount === null || amount < 1 || amount > 100_000) {
      return setError({ field: 'amount', text: '금액은 1원에서 100,000원 사이의 정수로 입력해 주세요.' });
    }
    if (!form.reason.trim())
      return setError({ field: 'reason', text: '조정 사유를 입력해 주세요. 감사 기록에 남아요.' });
    inFlight.current = true;
    setError(null);
    adjust.mutate({
      email: form.email,
      direction: form.direction,
      amount,
      reason: form.reason,
      requestId: requestId.current(),
    });
  }

  const describedBy = (field: Field) => (error?.field === field ? 'adjust-error' : undefined);

  return (
    <form className="card stack" onSubmit={onSubmit} aria-label="지갑 조정" noValidate>
      <p className="muted">
        잔액은 원장을 통해서만 바뀌어요. 조정 후 잔액은 0원에서 100,000원 사이여야 하고, 모든 조정은 사유와
        함께 감사 기록에 남아요.
      </p>
      <label htmlFor="adjust-email">학습자 이메일</label>
      <input
        id="adjust-email"
        type="email"
        autoComplete="off"
        value={form.email}
        onChange={(e) => change({ email: e.target.value })}
        aria-invalid={error?.field === 'email' || undefined}
        aria-describedby={describedBy('email')}
      />
      <fieldset className="row">
        <legend>조정 방향</legend>
        <label>
          <input
            type="radio"
            name="direction"
            value="CREDIT"
            checked={form.direction === 'CREDIT'}
            onChange={() => change({ direction: 'CREDIT' })}
          />{' '}
          지급 (잔액 늘리기)
        </label>
        <label>
          <input
            type="radio"
            name="direction"
            value="DEBIT"
            checked={form.direction === 'DEBIT'}
            onChange={() => change({ direction: 'DEBIT' })}
          />{' '}
          차감 (잔액 줄이기)
        </label>
      </fieldset>
      <label htmlFor="adjust-amount">금액 (원)</label>
      <input
        id="adjust-amount"
        inputMode="numeric"
        value={form.amount}
        onChange={(e) => change({ amount: e.target.value })}
        aria-invalid={error?.field === 'amount' || undefined}
        aria-describedby={describedBy('amount')}
        style={{ width: 160 }}
      />
      <label htmlFor="adjust-reason">사유 (필수)</label>
      <input
        id="adjust-reason"
        value={form.reason}
        maxLength={500}
        onChange={(e) => change({ reason: e.target.value })}
        aria-invalid={error?.field === 'reason' || undefined}
        aria-describedby={describedBy('reason')}
      />
      <div>
        <button type="submit" disabled={adjust.isPending}>
          {adjust.isPending ? '조정하는 중…' : '잔액 조정하기'}
        </button>
      </div>
      {error && (
        <p id="adjust-error" className="error" role="alert">
          {error.text}
        </p>
      )}
      {done && (
        <p className="success" role="status">
          {done}
        </p>
      )}
    </form>
  );
}
