'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useId, useState } from 'react';
import { MIN_CARD_AMOUNT } from '@/server/building-blocks/toss/toss-limits';
import { won } from '../_lib/format';
import { useTRPC } from '../_lib/trpc';
import { PayByCardButton } from './pay-by-card-button';

type Choice = 'all' | 'none' | 'amount';

/**
 * Composite payment: part of the price from the wallet, the rest by card. The learner picks how much
 * balance to use (all that is available, none, or an amount) and sees the split before the order is
 * made; the server holds the wallet part when it makes the order and checks every rule again.
 */
export function PaySplitForm({ course }: { course: { id: string; title: string; price: number } }) {
  const trpc = useTRPC();
  const wallet = useQuery(trpc.wallet.get.queryOptions());
  const [choice, setChoice] = useState<Choice>('all');
  const [typed, setTyped] = useState('');
  const name = useId();
  if (!wallet.data || wallet.data.balance <= 0) return null;
  const available = wallet.data.balance - wallet.data.held;
  const heldNotice = wallet.data.held > 0 && (
    <p className="muted">
      잔액 중 {won(wallet.data.held)}은 진행 중인 결제에 묶여 있어요. <Link href="/orders">내 결제 내역</Link>
      에서 그 결제를 마치거나 그만두면 바로 쓸 수 있어요.
    </p>
  );
  if (available <= 0) {
    return (
      <details className="split">
        <summary>잔액과 카드로 나눠 결제</summary>
        {heldNotice}
      </details>
    );
  }

  const walletAmount =
    choice === 'all' ? Math.min(available, course.price) : choice === 'none' ? 0 : Number(typed || '0');
  const card = course.price - walletAmount;
  const problem = !Number.isInteger(walletAmount)
    ? '잔액 사용 금액은 원 단위 숫자로 입력해 주세요.'
    : walletAmount > available
      ? `사용할 수 있는 잔액은 ${won(available)}이에요.`
      : walletAmount > course.price
        ? '잔액 사용 금액이 강의 가격보다 많아요.'
        : card === 0
          ? '잔액으로 전부 낼 수 있어요. 잔액으로 결제를 이용해 주세요.'
          : card < MIN_CARD_AMOUNT
            ? `카드 결제 금액은 ${won(MIN_CARD_AMOUNT)} 이상이어야 해요. 잔액 사용을 ${won(course.price - MIN_CARD_AMOUNT)} 이하로 정해 주세요.`
            : null;

  return (
    <details className="split">
      <summary>잔액과 카드로 나눠 결제</summary>
      {heldNotice}
      <fieldset>
        <legend>잔액에서 쓸 금액 (사용할 수 있는 잔액 {won(available)})</legend>
        <label>
          <input type="radio" name={name} checked={choice === 'all'} onChange={() => setChoice('all')} />
          사용할 수 있는 잔액 모두
        </label>
        <label>
          <input type="radio" name={name} checked={choice === 'none'} onChange={() => setChoice('none')} />
          쓰지 않기 (카드로만)
        </label>
        <label>
          <input
            type="radio"
            name={name}
            checked={choice === 'amount'}
            onChange={() => setChoice('amount')}
          />
          직접 입력
        </label>
        {choice === 'amount' && (
          <label>
            잔액 사용 금액(원)
            <input
              inputMode="numeric"
              value={typed}
              onChange={(e) => setTyped(e.target.value.replace(/[^0-9]/g, '').slice(0, 6))}
              aria-invalid={problem ? true : undefined}
            />
          </label>
        )}
      </fieldset>
      {problem ? (
        <p className="error" role="alert">
          {problem}
        </p>
      ) : (
        <p aria-live="polite">
          잔액 {won(walletAmount)} + 카드 {won(card)}
        </p>
      )}
      {!problem && (
        <PayByCardButton
          order={{ type: 'COURSE', courseId: course.id, walletAmount }}
          label={`${course.title} 잔액 ${won(walletAmount)}과 카드 ${won(card)}로 결제`}
        >
          잔액 {won(walletAmount)} + 카드 {won(card)} 결제
        </PayByCardButton>
      )}
    </details>
  );
}
