import { z } from 'zod';
import { alertOutput, auditEntryOutput } from './admin.schemas';
import { orderDetailOutput, orderOutput } from './order.schemas';

/** The operator's payment search and explanation (/admin/payments). Messages are Korean. */

export const paymentSearchInput = z.object({
  /** An order number, a Toss paymentKey or a learner's email. */
  query: z
    .string()
    .trim()
    .min(1, '주문 번호, 결제 키(paymentKey) 또는 이메일을 입력해 주세요.')
    .max(254, '검색어가 너무 길어요. 254자까지 입력할 수 있어요.'),
});

export const paymentSearchOutput = z.array(orderOutput.extend({ email: z.string() }));

const tossExchangeOutput = z.object({
  id: z.string(),
  operation: z.string(),
  httpMethod: z.string(),
  path: z.string(),
  idempotencyKey: z.string().nullable(),
  /** As sent and received, with secrets and personal numbers masked. */
  requestBody: z.unknown(),
  responseStatus: z.number().int().nullable(),
  responseCode: z.string().nullable(),
  responseBody: z.unknown(),
  error: z.string().nullable(),
  startedAt: z.date(),
  finishedAt: z.date().nullable(),
});

const webhookOutput = z.object({
  id: z.string(),
  eventType: z.string(),
  payload: z.unknown(),
  receivedAt: z.date(),
  processedAt: z.date().nullable(),
});

export const paymentExplanationOutput = orderDetailOutput.extend({
  learner: z.object({ id: z.string(), email: z.string(), name: z.string() }).nullable(),
  exchanges: z.array(tossExchangeOutput),
  webhooks: z.array(webhookOutput),
  alerts: z.array(alertOutput),
  actions: z.array(auditEntryOutput),
});

export const recheckPaymentOutput = z.object({ order: orderOutput, askedToss: z.boolean() });
