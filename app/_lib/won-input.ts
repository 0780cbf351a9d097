import { canApply, MAX_BALANCE } from '@/server/building-blocks/ledger/balance-rules';
import { won } from './format';

export type WonInput = { ok: true; amount: number } | { ok: false; message: string };

/**
 * Reads an amount of won as typed, without rewriting it: digits only (thousands commas allowed, as in
 * "12,000"), at least `min`, and no more than the wallet can still hold. Anything else is refused with a
 * sentence that says what to fix.
 */
export function readChargeAmount(text: string, options: { min: number; balance: number | null }): WonInput {
  const typed = text.trim();
  if (typed === '') return { ok: false, message: '충전할 금액을 입력해 주세요.' };
  if (typed.startsWith('-')) return { ok: false, message: '음수는 충전할 수 없어요.' };
  if (/[.]/.test(typed)) return { ok: false, message: '금액은 원 단위의 정수로 입력해 주세요.' };
  if (!/^(\d+|\d{1,3}(,\d{3})+)$/.test(typed))
    return { ok: false, message: '금액은 숫자로만 입력해 주세요.' };
  const amount = Number(typed.replaceAll(',', ''));
  if (!Number.isSafeInteger(amount)) return { ok: false, message: '금액이 너무 커요.' };
  if (amount < options.min) return { ok: false, message: `${won(options.min)} 이상부터 충전할 수 있어요.` };
  if (options.balance !== null && !canApply(options.balance, amount)) {
    const room = MAX_BALANCE - options.balance;
    return {
      ok: false,
      message:
        room > 0
          ? `잔액은 최대 ${won(MAX_BALANCE)}까지 보유할 수 있어요. 지금은 최대 ${won(room)}까지 충전할 수 있어요.`
          : `잔액이 한도(${won(MAX_BALANCE)})에 도달해 더 충전할 수 없어요.`,
    };
  }
  if (amount > MAX_BALANCE)
    return { ok: false, message: `한 번에 최대 ${won(MAX_BALANCE)}까지 충전할 수 있어요.` };
  return { ok: true, amount };
}

/** "지금 최대 34,853원까지 충전할 수 있어요", or null while the balance is unknown. */
export function chargeRoom(balance: number | null): string | null {
  if (balance === null) return null;
  const room = Math.max(0, MAX_BALANCE - balance);
  return room > 0
    ? `지금 최대 ${won(room)}까지 충전할 수 있어요.`
    : '잔액이 한도에 도달해 더 충전할 수 없어요.';
}
