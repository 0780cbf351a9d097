import { describe, expect, it } from 'vitest';
import { maskTossBody } from './mask-toss-body';

describe('maskTossBody', () => {
  it('hides secrets, account and phone numbers at any depth, keeping the last four characters', () => {
    const body = {
      paymentKey: 'tgen_20261201abcd',
      secret: 'ps_secret_value_1234',
      card: { number: '43301234****5678', company: '신한', approveNo: '00000000' },
      virtualAccount: { accountNumber: '110123456789', bank: '신한' },
      refundReceiveAccount: { bankCode: '88', accountNumber: '12345678901', holderName: '김토스' },
      mobilePhone: { customerMobilePhone: '01012345678' },
      cancels: [{ secret: 'abc', cancelAmount: 1000 }],
    };
    expect(maskTossBody(body)).toEqual({
      paymentKey: 'tgen_20261201abcd',
      secret: '****************1234',
      card: { number: '************5678', company: '신한', approveNo: '00000000' },
      virtualAccount: { accountNumber: '********6789', bank: '신한' },
      refundReceiveAccount: { bankCode: '88', accountNumber: '*******8901', holderName: '김토스' },
      mobilePhone: { customerMobilePhone: '*******5678' },
      cancels: [{ secret: '***', cancelAmount: 1000 }],
    });
  });

  it('leaves bodies without secrets as they are, and does not change its input', () => {
    const body = { orderId: 'order-1', amount: 15000, status: 'DONE', failure: null };
    const copy = structuredClone(body);
    expect(maskTossBody(body)).toEqual(copy);
    expect(maskTossBody({ secret: 'x'.repeat(30) })).not.toEqual({ secret: 'x'.repeat(30) });
    expect(body).toEqual(copy);
    expect(maskTossBody(null)).toBeNull();
    expect(maskTossBody('text')).toBe('text');
  });
});
