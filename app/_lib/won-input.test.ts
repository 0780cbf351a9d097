import { describe, expect, it } from 'vitest';
import { chargeRoom, readChargeAmount } from './won-input';

describe('the charge amount field', () => {
  it.each([
    ['', '충전할 금액을 입력해 주세요.'],
    ['   ', '충전할 금액을 입력해 주세요.'],
    ['-5000', '음수는 충전할 수 없어요.'],
    ['12.5', '금액은 원 단위의 정수로 입력해 주세요.'],
    ['1e3', '금액은 숫자로만 입력해 주세요.'],
    ['10,00', '금액은 숫자로만 입력해 주세요.'],
    ['5천', '금액은 숫자로만 입력해 주세요.'],
    ['0', '1원 이상부터 충전할 수 있어요.'],
  ])('refuses %j with "%s", never reading it as another amount', (typed, message) => {
    expect(readChargeAmount(typed, { min: 1, balance: 0 })).toEqual({ ok: false, message });
  });

  it('reads whole won as typed, thousands commas included', () => {
    expect(readChargeAmount('5000', { min: 1, balance: 0 })).toEqual({ ok: true, amount: 5_000 });
    expect(readChargeAmount(' 12,000 ', { min: 1, balance: 0 })).toEqual({ ok: true, amount: 12_000 });
  });

  it('refuses a card charge under 100 won', () => {
    expect(readChargeAmount('99', { min: 100, balance: 0 })).toEqual({
      ok: false,
      message: '100원 이상부터 충전할 수 있어요.',
    });
  });

  it('refuses more than the wallet can still hold, saying how much it can', () => {
    expect(readChargeAmount('65,148', { min: 1, balance: 65_147 })).toEqual({
      ok: false,
      message: '잔액은 최대 100,000원까지 보유할 수 있어요. 지금은 최대 34,853원까지 충전할 수 있어요.',
    });
    expect(readChargeAmount('34853', { min: 1, balance: 65_147 })).toEqual({ ok: true, amount: 34_853 });
    expect(readChargeAmount('1', { min: 1, balance: 100_000 })).toEqual({
      ok: false,
      message: '잔액이 한도(100,000원)에 도달해 더 충전할 수 없어요.',
    });
  });

  it('says how much can still be charged', () => {
    expect(chargeRoom(65_147)).toBe('지금 최대 34,853원까지 충전할 수 있어요.');
    expect(chargeRoom(100_000)).toBe('잔액이 한도에 도달해 더 충전할 수 없어요.');
    expect(chargeRoom(null)).toBeNull();
  });
});
