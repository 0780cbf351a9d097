import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appRouter } from '../../entry-points/trpc/router';
import { dayRangeSchema } from '../../use-cases/admin/report-range';
import { signUpInput } from './auth.schemas';
import { FIELD_LABELS, koreanMessage } from './korean-messages';
import { createOrderInput } from './order.schemas';
import { cancelInput, confirmInput } from './payment.schemas';
import { chargeInput } from './wallet.schemas';

/** The Korean sentences a schema's refusal of `input` comes to. */
function koreanFor(schema: z.ZodType, input: unknown): string[] {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error('the input was accepted');
  return parsed.error.issues.map(koreanMessage);
}

describe('the Korean error map', () => {
  it.each([
    [{ amount: 0, requestId: 'r' }, '금액은 1원 이상이어야 해요.'],
    [{ amount: 100_001, requestId: 'r' }, '금액은 100,000원 이하여야 해요.'],
    [{ amount: 12.5, requestId: 'r' }, '금액은 정수로 입력해 주세요.'],
    [{ amount: '5000', requestId: 'r' }, '금액은 숫자로 입력해 주세요.'],
    [{ amount: 5_000, requestId: '' }, '요청 번호를 입력해 주세요.'],
    [{ amount: 5_000, requestId: 'a\u0000b' }, '요청 번호에 쓸 수 없는 문자가 있어요.'],
    [{ amount: 5_000, requestId: 'sys:mine' }, '요청 번호 값이 올바르지 않아요.'],
  ])('refuses a charge of %j with "%s"', (input, sentence) => {
    expect(koreanFor(chargeInput, input)).toContain(sentence);
  });

  it('speaks of sign-up fields by their names, with the right particle', () => {
    expect(koreanFor(signUpInput, { email: 'not-an-email', password: 'short', name: '' })).toEqual([
      '이메일 주소 형식이 올바르지 않아요.',
      '비밀번호는 8자 이상으로 입력해 주세요.',
      '이름을 입력해 주세요.',
    ]);
  });

  it('covers orders, payments and report dates', () => {
    expect(koreanFor(createOrderInput, { type: 'CHARGE', amount: 50 })).toEqual([
      '금액은 100원 이상이어야 해요.',
    ]);
    expect(koreanFor(confirmInput, { paymentKey: '', orderId: 'x', amount: 1 })).toContain(
      '결제 키를 입력해 주세요.',
    );
    expect(koreanFor(cancelInput, { orderId: 'ORDER-123456', reason: '' })).toContain(
      '사유를 입력해 주세요.',
    );
    expect(koreanFor(dayRangeSchema, { from: '2026-13-01', to: '2026-12-01' }).join(' ')).toMatch(/시작일/);
  });

  it('has a Korean name for every field of every procedure input', () => {
    const fields = new Set<string>();
    const collect = (schema: unknown) => {
      if (schema instanceof z.ZodObject) {
        for (const [key, value] of Object.entries(schema.shape)) {
          fields.add(key);
          collect(value);
        }
      } else if (schema instanceof z.ZodDiscriminatedUnion || schema instanceof z.ZodUnion) {
        for (const option of schema.options) collect(option);
      } else if (
        schema instanceof z.ZodOptional ||
        schema instanceof z.ZodNullable ||
        schema instanceof z.ZodDefault
      ) {
        collect(schema.unwrap());
      } else if (schema instanceof z.ZodPipe) {
        collect(schema.in);
      }
    };
    const procedures = Object.values(appRouter._def.procedures) as unknown as {
      _def: { inputs: unknown[] };
    }[];
    for (const procedure of procedures) for (const input of procedure._def.inputs) collect(input);
    expect(fields.size).toBeGreaterThan(10);
    expect([...fields].filter((field) => !FIELD_LABELS[field])).toEqual([]);
  });
});
