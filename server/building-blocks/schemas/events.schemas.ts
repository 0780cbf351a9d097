import { z } from 'zod';
import { EVENT_TYPES } from '../events/event-types';

/** Inputs and outputs of the outgoing-events console (webhook endpoints, the event log, redelivery). */

const endpointIdSchema = z
  .string({ error: '엔드포인트 ID를 입력해 주세요.' })
  .trim()
  .regex(/^ep_[0-9a-f]{24}$/, '엔드포인트 ID가 올바르지 않아요.');
const eventIdSchema = z
  .string({ error: '이벤트 ID를 입력해 주세요.' })
  .trim()
  .regex(/^msg_[0-9a-f]{32}$/, '이벤트 ID가 올바르지 않아요.');
const eventTypesSchema = z
  .array(z.enum(EVENT_TYPES, { error: '이벤트 종류가 올바르지 않아요.' }), {
    error: '이벤트 종류를 골라 주세요.',
  })
  .min(1, '이벤트 종류를 하나 이상 골라 주세요.')
  .max(EVENT_TYPES.length, '이벤트 종류가 너무 많아요.');

export const createEndpointInput = z.object({
  url: z
    .string({ error: '주소를 입력해 주세요.' })
    .trim()
    .min(1, '주소를 입력해 주세요.')
    .max(2000, '주소는 2,000자 이하로 입력해 주세요.'),
  description: z
    .string()
    .trim()
    .max(200, '설명은 200자 이하로 입력해 주세요.')
    .regex(/^[^\p{Cc}]*$/u, '설명에 제어 문자는 쓸 수 없어요.')
    .optional(),
  eventTypes: eventTypesSchema,
});

export const updateEndpointInput = z.object({ endpointId: endpointIdSchema, eventTypes: eventTypesSchema });
export const endpointIdInput = z.object({ endpointId: endpointIdSchema });

export const listEventsInput = z
  .object({
    type: z.enum(EVENT_TYPES, { error: '이벤트 종류가 올바르지 않아요.' }).optional(),
    orderId: z.string().trim().max(64, '주문 번호가 너무 길어요.').optional(),
    deliveryStatus: z
      .enum(['PENDING', 'DELIVERED', 'FAILED'], { error: '전송 상태가 올바르지 않아요.' })
      .optional(),
    cursor: eventIdSchema.optional(),
  })
  .default({});

export const redeliverEventInput = z.object({
  eventId: eventIdSchema,
  endpointId: endpointIdSchema.optional(),
});

export const redeliverFailedInput = z.object({
  since: z.coerce
    .date({ error: '시각을 2026-12-01T09:00 같은 형식으로 입력해 주세요.' })
    .refine((d) => d.getTime() > Date.UTC(2000, 0, 1), '시각이 올바르지 않아요.'),
  endpointId: endpointIdSchema.optional(),
});

export const endpointOutput = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.string()),
  createdAt: z.date(),
  disabledAt: z.date().nullable(),
  previousSecretValidUntil: z.date().nullable(),
});

/** The new secret is shown once, here, and never again. */
export const endpointWithSecretOutput = z.object({ endpoint: endpointOutput, secret: z.string() });

export const eventLogOutput = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      payload: z.unknown(),
      orderId: z.string().nullable(),
      userId: z.string().nullable(),
      createdAt: z.date(),
      dispatchedAt: z.date().nullable(),
      deliveries: z.array(
        z.object({
          id: z.string(),
          endpointId: z.string(),
          url: z.string(),
          status: z.enum(['PENDING', 'DELIVERED', 'FAILED']),
          attempts: z.number().int(),
          nextAttemptAt: z.date(),
          lastStatusCode: z.number().int().nullable(),
          lastError: z.string().nullable(),
          lastAttemptAt: z.date().nullable(),
          deliveredAt: z.date().nullable(),
          attemptLog: z.array(
            z.object({
              attempt: z.number().int(),
              statusCode: z.number().int().nullable(),
              error: z.string().nullable(),
              durationMs: z.number().int(),
              attemptedAt: z.date(),
            }),
          ),
        }),
      ),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const redeliverOutput = z.object({ deliveries: z.number().int() });
