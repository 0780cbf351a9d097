'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { errorMessage, isDefiniteAnswer } from '../_lib/error-message';
import { won } from '../_lib/format';
import { useTRPC } from '../_lib/trpc';
import { useRequestId } from '../_lib/use-request-id';
import { PayByCardButton } from './pay-by-card-button';

/**
 * Charging the wallet: by card always, and in sandbox mode also the seed's test charge (no card), which
 * a real deployment refuses. One submit is one intent with one requestId.
 */
export function ChargeForm({ testCharge }: { testCharge: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const requestId = useRequestId();
  const inFlight = useRef(false);
  const [amount, setAmount] = useState('10000');
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);

  const charge = useMutation(
    trpc.wallet.charge.mutationOptions({
      onSuccess: (result) => {
        requestId.settle();
        setMessage({
          kind: 'success',
          text: `${won(result.transaction.amount)} 충전 완료. 잔액 ${won(result.balance)}`,
        });
      },
      onError: (error) => {
        if (isDefiniteAnswer(error)) requestId.settle();
        setMessage({ kind: 'error', text: errorMessage(error) });
      },
      onSettled: async () => {
        inFlight.current = false;
        await queryClient.invalidateQueries();
      },
    }),
  );

  /** A card charge of the typed amount, or null (with a message) when the amount is not valid. */
  function cardOrder() {
    const value = Number(amount);
    if (!Number.isInteger(value) || value < 100 || value > 100_000) {
      setMessage({ kind: 'error', text: '카드 충전 금액은 100원에서 100,000원 사이의 정수여야 합니다.' });
      return null;
    }
    setMessage(null);
    return { type: 'CHARGE' as const, amount: value };
  }

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    if (!testCharge || inFlight.current) return;
    const value = Number(amount);
    if (!Number.isInteger(value) || value < 1 || value > 100_000) {
      setMessage({ kind: 'error', text: '충전 금액은 1원에서 100,000원 사이의 정수여야 합니다.' });
      return;
    }
    inFlight.current = true;
    setMessage(null);
    charge.mutate({ amount: value, requestId: requestId.current() });
  }

  return (
    <form className="card stack" onSubmit={onSubmit} aria-label="잔액 충전">
      <label htmlFor="charge-amount">충전 금액 (원)</label>
      <div className="row">
        <input
          id="charge-amount"
          inputMode="numeric"
          value={amount}
          onChange={(e) => {
            setAmount(e.target.value.replace(/[^0-9]/g, ''));
            requestId.settle(); // a different amount is a different intent
          }}
          style={{ width: 160 }}
        />
        {testCharge && (
          <button type="submit" disabled={charge.isPending}>
            {charge.isPending ? '충전 중…' : '충전하기'}
          </button>
        )}
        <PayByCardButton order={() => cardOrder()} label="카드로 충전">
          카드로 충전
        </PayByCardButton>
      </div>
      <div className="row" style={{ marginTop: 8 }}>
        {[10_000, 30_000, 50_000].map((preset) => (
          <button
            key={preset}
            type="button"
            className="secondary"
            onClick={() => {
              setAmount(String(preset));
              requestId.settle();
            }}
          >
            {won(preset)}
          </button>
        ))}
      </div>
      {message && (
        <p className={message.kind} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
    </form>
  );
}
