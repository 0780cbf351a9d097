import { z } from 'zod';
import type { AdminActionKind } from '../db/generated/client';
import { MAX_BALANCE } from '../ledger/balance-rules';
import { NO_CONTROL_CHARACTERS } from '../patterns';
import { SERVICE_SCOPES } from '../service-auth/scopes';
import { MIN_CARD_AMOUNT } from '../toss/toss-limits';
import { requestIdSchema } from './wallet.schemas';

/**
 * What the operator's console sends. Messages are Korean: an admin reads them as they are.
 *
 * Course prices are whole won from 100 to 10,000,000: Toss takes no card payment under 100 won, and a
 * price past ten million is far beyond any course here and more likely a typo (an extra zero) than an
 * intent. A course above 100,000 (the wallet's limit) can be bought by card only.
 */
export const MIN_COURSE_PRICE = MIN_CARD_AMOUNT;
export const MAX_COURSE_PRICE = 10_000_000;

const text = (what: string, min: number, max: number) =>
  z
    .string({ error: `${what}을(를) 입력해 주세요.` })
    .trim()
    .min(min, min === 1 ? `${what}을(를) 입력해 주세요.` : `${what}은(는) ${min}자 이상이어야 해요.`)
    .max(max, `${what}은(는) ${max.toLocaleString('ko-KR')}자 이하로 입력해 주세요.`)
    .regex(NO_CONTROL_CHARACTERS, `${what}에 줄바꿈이나 제어 문자는 쓸 수 없어요.`);

/** Free text that may span lines (a description, a note): no other control characters. */
const longText = (what: string, min: number, max: number) =>
  z
    .string({ error: `${what}을(를) 입력해 주세요.` })
    .trim()
    .min(min, `${what}을(를) 입력해 주세요.`)
    .max(max, `${what}은(는) ${max.toLocaleString('ko-KR')}자 이하로 입력해 주세요.`)
    .regex(/^(?:[^\p{Cc}]|[\n\r\t])*$/u, `${what}에 제어 문자는 쓸 수 없어요.`);

export const reasonSchema = text('사유', 1, 500);

export const adjustWalletInput = z.object({
  email: z
    .string({ error: '학습자 이메일을 입력해 주세요.' })
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: '학습자 이메일 형식이 올바르지 않아요.' }).max(254, '이메일이 너무 길어요.')),
  direction: z.enum(['CREDIT', 'DEBIT'], { error: '지급 또는 차감을 골라 주세요.' }),
  amount: z
    .number({ error: '금액을 숫자로 입력해 주세요.' })
    .int('금액은 원 단위 정수로 입력해 주세요.')
    .min(1, '금액은 1원 이상이어야 해요.')
    .max(MAX_BALANCE, `금액은 ${MAX_BALANCE.toLocaleString('ko-KR')}원 이하여야 해요.`),
  reason: reasonSchema,
  requestId: requestIdSchema,
});

const priceSchema = z
  .number({ error: '가격을 숫자로 입력해 주세요.' })
  .int('가격은 원 단위 정수로 입력해 주세요.')
  .min(MIN_COURSE_PRICE, `가격은 ${MIN_COURSE_PRICE.toLocaleString('ko-KR')}원 이상이어야 해요.`)
  .max(MAX_COURSE_PRICE, `가격은 ${MAX_COURSE_PRICE.toLocaleString('ko-KR')}원 이하여야 해요.`);

const titleSchema = text('강의 제목', 1, 100);
const descriptionSchema = longText('강의 설명', 0, 2000);
const courseIdSchema = z.uuid({ error: '강의 ID가 올바르지 않아요.' }).transform((id) => id.toLowerCase());

export const createCourseInput = z.object({
  title: titleSchema,
  description: descriptionSchema,
  price: priceSchema,
  requestId: requestIdSchema,
});

export const updateCourseInput = z
  .object({
    courseId: courseIdSchema,
    title: titleSchema.optional(),
    description: descriptionSchema.optional(),
    price: priceSchema.optional(),
  })
  .refine((c) => c.title !== undefined || c.description !== undefined || c.price !== undefined, {
    error: '바꿀 제목, 설명 또는 가격을 입력해 주세요.',
  });

export const retireCourseInput = z.object({ courseId: courseIdSchema, reason: reasonSchema });

export const adminCourseOutput = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  price: z.number().int(),
  retiredAt: z.date().nullable(),
});

export const alertStateSchema = z.enum(['OPEN', 'ACKNOWLEDGED', 'RESOLVED'], {
  error: '상태는 미확인, 확인 중, 해결됨 중에서 골라 주세요.',
});

export const listAlertsInput = z
  .object({
    state: alertStateSchema.optional(),
    kind: z
      .string()
      .trim()
      .max(64, '종류가 너무 길어요.')
      .regex(/^[A-Z_]*$/, '종류는 영문 대문자와 _ 로만 써 주세요.')
      .optional(),
    orderId: z.string().trim().max(64, '주문 번호가 너무 길어요.').optional(),
  })
  .default({});

const alertIdSchema = z.uuid({ error: '알림 ID가 올바르지 않아요.' }).transform((id) => id.toLowerCase());

export const acknowledgeAlertInput = z.object({
  alertId: alertIdSchema,
  note: longText('메모', 0, 500).optional(),
});

export const resolveAlertInput = z.object({ alertId: alertIdSchema, note: longText('해결 메모', 1, 500) });

export const alertOutput = z.object({
  id: z.string(),
  /** Null for an alert about no order (an outgoing event that could not be delivered). */
  orderId: z.string().nullable(),
  kind: z.string(),
  message: z.string(),
  createdAt: z.date(),
  state: alertStateSchema,
  acknowledgedAt: z.date().nullable(),
  acknowledgedBy: z.string().nullable(),
  acknowledgeNote: z.string().nullable(),
  resolvedAt: z.date().nullable(),
  resolvedBy: z.string().nullable(),
  resolutionNote: z.string().nullable(),
});

export const ADMIN_ACTION_KINDS = [
  'WALLET_ADJUSTMENT',
  'COURSE_CREATE',
  'COURSE_UPDATE',
  'COURSE_RETIRE',
  'ALERT_ACKNOWLEDGE',
  'ALERT_RESOLVE',
  'ORDER_REFUND',
  'ORDER_RECHECK',
  'SERVICE_KEY_CREATE',
  'SERVICE_KEY_REVOKE',
  'SERVICE_KEY_ROTATE',
  'WEBHOOK_ENDPOINT_CREATE',
  'WEBHOOK_ENDPOINT_UPDATE',
  'WEBHOOK_ENDPOINT_ROTATE',
  'WEBHOOK_ENDPOINT_DISABLE',
  'EVENT_REDELIVER',
] as const satisfies readonly AdminActionKind[];
export type AuditAction = (typeof ADMIN_ACTION_KINDS)[number];

const day = (what: string) =>
  z.iso
    .date({ error: `${what}은(는) 2026-12-01 같은 날짜로 입력해 주세요.` })
    .refine((d) => d >= '2000-01-01' && d <= '2099-12-31', `${what}은(는) 2000년부터 2099년 사이여야 해요.`);

export const auditLogInput = z
  .object({
    action: z.enum(ADMIN_ACTION_KINDS, { error: '작업 종류가 올바르지 않아요.' }).optional(),
    /** An order id, user id, course id or alert id; or a learner's email (their user id). */
    subject: z.string().trim().max(254, '대상이 너무 길어요.').optional(),
    from: day('시작일').optional(),
    to: day('종료일').optional(),
    limit: z.number().int().min(1).max(100).default(50),
    cursor: z.uuid().nullish(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, {
    error: '시작일이 종료일보다 늦을 수 없어요.',
    path: ['to'],
  })
  .default({ limit: 50 });

export const auditEntryOutput = z.object({
  id: z.string(),
  adminId: z.string(),
  adminEmail: z.string(),
  action: z.enum(ADMIN_ACTION_KINDS),
  subjectType: z.string(),
  subjectId: z.string(),
  details: z.unknown(),
  reason: z.string().nullable(),
  createdAt: z.date(),
});

export const roleChangeOutput = z.object({
  id: z.string(),
  email: z.string(),
  action: z.enum(['GRANT', 'REVOKE']),
  role: z.enum(['LEARNER', 'ADMIN']),
  reason: z.string(),
  changedBy: z.string(),
  createdAt: z.date(),
});

/** The console's service keys (npm run service-key does the same). */
const serviceKeyIdSchema = z
  .string({ error: '키 ID를 입력해 주세요.' })
  .trim()
  .regex(/^pk_[0-9A-Za-z]{24}$/, '키 ID는 pk_로 시작하는 27자예요.');

export const createServiceKeyInput = z.object({
  name: text('키 이름', 1, 100),
  scopes: z
    .array(z.enum(SERVICE_SCOPES, { error: '알 수 없는 권한이에요.' }), { error: '권한을 골라 주세요.' })
    .min(1, '권한을 하나 이상 골라 주세요.')
    .max(SERVICE_SCOPES.length)
    .transform((scopes) => [...new Set(scopes)]),
});

export const revokeServiceKeyInput = z.object({ keyId: serviceKeyIdSchema, reason: reasonSchema });

export const rotateServiceKeyInput = z.object({
  keyId: serviceKeyIdSchema,
  overlapHours: z
    .number({ error: '겹치는 시간을 숫자로 입력해 주세요.' })
    .int('겹치는 시간은 정수로 입력해 주세요.')
    .min(0, '겹치는 시간은 0시간 이상이어야 해요.')
    .max(720, '겹치는 시간은 720시간(30일) 이하여야 해요.'),
});

export const serviceKeyOutput = z.object({
  keyId: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(SERVICE_SCOPES)),
  createdAt: z.date(),
  revokedAt: z.date().nullable(),
  lastUsedAt: z.date().nullable(),
  previousValidUntil: z.date().nullable(),
});

/** A key's secret, in the one answer that shows it. */
export const serviceKeySecretOutput = z.object({
  keyId: z.string(),
  secret: z.string(),
  key: serviceKeyOutput,
  previousValidUntil: z.date().nullable(),
});
