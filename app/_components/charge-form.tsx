'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { MIN_CARD_AMOUNT } from '@/server/building-blocks/toss/toss-limits';
import { errorMessage, isDefiniteAnswer } from '../_lib/error-message';
import { won } from '../_lib/format';
import { useTRPC } from '../_lib/trpc';
import { useRequestId } from '../_lib/use-request-id';
import { chargeRoom, readChargeAmount } from '../_lib/won-input';
import { PayByCardButton } from './pay-by-card-button';

/**
 * Charging the wallet: by card always, and in sandbox mode also the seed's test charge (no card), which
 * a real deployment refuses. One submit is one intent with one requestId. The amount is read as typed
 * (never rewritten): whole won only, and no more than the wallet can still hold, refused before any
 * request with a sentence tied to the field.
 */
export function ChargeForm({ testCharge }: { testCharge: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const requestId = useRequestId();
  const inFlight = useRef(false);
  const [amount, setAmount] = useState('10000');
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const wallet = useQuery(trpc.wallet.get.queryOptions());
  const balance = wallet.data?.balance ?? null;

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
    const read = readChargeAmount(amount, { min: MIN_CARD_AMOUNT, balance });
    if (!read.ok) {
      setMessage({ kind: 'error', text: read.message });
      return null;
    }
    setMessage(null);
    return { type: 'CHARGE' as const, amount: read.amount };
  }

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    if (!testCharge || inFlight.current) return;
    const read = readChargeAmount(amount, { min: 1, balance });
    if (!read.ok) {
      setMessage({ kind: 'error', text: read.message });
      return;
    }
    inFlight.current = true;
    setMessage(null);
    charge.mutate({ amount: read.amount, requestId: requestId.current() });
  }

  return (
    <form className="card stack" onSubmit={onSubmit} aria-label="잔액 충전">
      <label htmlFor="charge-amount">충전 금액 (원)</label>
      <div className="row">
        <input
          id="charge-amount"
          inputMode="numeric"
          autoComplete="off"
          value={amount}
          aria-invalid={message?.kind === 'error'}
          aria-describedby={message ? 'charge-room charge-message' : 'charge-room'}
          onChange={(e) => {
            setAmount(e.target.value);
            if (message?.kind === 'error') setMessage(null);
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
      <p id="charge-room" className="muted">
        {chargeRoom(balance)}
      </p>
      {message && (
        <p id="charge-message" className={message.kind} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
    </form>
  );
}
