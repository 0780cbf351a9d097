import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { DOMAIN_REASONS } from '@/server/building-blocks/errors/domain-error';
import { errorMessage, REASON_MESSAGES } from './error-message';

const refusal = (data: Record<string, unknown>) =>
  new TRPCClientError('refused', { result: { error: { message: 'refused', code: -32600, data } } } as never);

describe('the messages table', () => {
  it('has a Korean sentence for every domain reason, with no English left in it', () => {
    expect(Object.keys(REASON_MESSAGES).sort()).toEqual(Object.keys(DOMAIN_REASONS).sort());
    for (const message of Object.values(REASON_MESSAGES)) {
      expect(message).toMatch(/[가-힣]/);
      expect(message).not.toMatch(/[A-Za-z]{3,}/);
    }
  });

  it('shows a refusal by its reason, a validation error by its Korean sentences, and nothing internal', () => {
    expect(errorMessage(refusal({ reason: 'INSUFFICIENT_BALANCE' }))).toBe(
      REASON_MESSAGES.INSUFFICIENT_BALANCE,
    );
    expect(
      errorMessage(
        refusal({
          reason: 'INVALID_INPUT',
          issues: [
            {
              path: 'password',
              message: 'password must be at least 8 characters',
              messageKo: '비밀번호는 8자 이상으로 입력해 주세요.',
            },
          ],
        }),
      ),
    ).toBe('비밀번호는 8자 이상으로 입력해 주세요.');
    expect(errorMessage(refusal({ reason: 'TOO_MANY_ATTEMPTS', retryAfterSeconds: 120 }))).toBe(
      '시도가 너무 많아요. 2분 후에 다시 시도해 주세요.',
    );
    expect(errorMessage(new Error('connect ECONNREFUSED 127.0.0.1:5432'))).toBe(
      '일시적인 오류가 생겼어요. 잠시 후 다시 시도해 주세요.',
    );
  });
});
