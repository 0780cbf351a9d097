import { z } from 'zod';
import { EVENT_TYPES } from '../events/event-types';
import { MAX_BALANCE } from '../ledger/balance-rules';
import { NO_CONTROL_CHARACTERS } from '../patterns';
import { MIN_CARD_AMOUNT } from '../toss/toss-limits';
import { MAX_COURSE_PRICE, MIN_COURSE_PRICE } from './admin.schemas';
import { emailSchema } from './auth.schemas';
import { orderIdSchema, orderOutput } from './order.schemas';
import { cancelInput } from './payment.schemas';
import { courseIdSchema, requestIdSchema, transactionOutput } from './wallet.schemas';

/**
 * What another service sends (service.* procedures). Messages are English, like the learner API's: the
 * caller is a program; the Korean map adds `messageKo` as everywhere.
 */

/** The learner a call is about: our user id, or their email (exactly one). */
export const userFields = {
  userId: z
    .uuid({ error: 'userId must be a user id (a UUID)' })
    .transform((id) => id.toLowerCase())
    .optional(),
  userEmail: emailSchema.optional(),
};

export const oneUser = (v: { userId?: string; userEmail?: string }) =>
  (v.userId === undefined) !== (v.userEmail === undefined);
export const ONE_USER = { error: 'give exactly one of userId and userEmail', path: ['userId'] };

export type UserRef = { userId?: string; userEmail?: string };

/** How many to return: a number, or its digits as a REST query string (`?limit=20`) sends it. */
const pageSize = (max: number) =>
  z
    .union(
      [
        z.number(),
        z
          .string()
          .regex(/^[0-9]{1,6}$/)
          .transform(Number),
      ],
      {
        error: 'limit must be a whole number',
      },
    )
    .pipe(
      z
        .number()
        .int('limit must be a whole number')
        .min(1, 'limit must be at least 1')
        .max(max, `limit must be at most ${max}`),
    )
    .default(20);

export const serviceUserInput = z.object(userFields).refine(oneUser, ONE_USER);

export const serviceCreateOrderInput = z
  .object({
    ...userFields,
    type: z.enum(['COURSE', 'CHARGE'], { error: "type must be 'COURSE' or 'CHARGE'" }),
    courseId: courseIdSchema.optional(),
    amount: z
      .number({ error: 'amount must be a number' })
      .int('amount must be a whole number of won')
      .min(MIN_CARD_AMOUNT, `amount must be at least ${MIN_CARD_AMOUNT} won for a card payment`)
      .max(MAX_BALANCE, 'amount must be at most 100,000 won')
      .optional(),
    requestId: requestIdSchema,
  })
  .refine(oneUser, ONE_USER)
  .refine((v) => (v.type === 'COURSE' ? v.courseId !== undefined : v.courseId === undefined), {
    error: 'a COURSE order names its courseId; a CHARGE order names none',
    path: ['courseId'],
  })
  .refine((v) => (v.type === 'CHARGE' ? v.amount !== undefined : v.amount === undefined), {
    error: 'a CHARGE order names its amount; a COURSE order names none (the price is the course’s)',
    path: ['amount'],
  });

export const serviceOrderOutput = orderOutput.extend({
  userId: z.string(),
  /** Where to send the learner to pay: the checkout page of this order (null once it is not payable). */
  checkoutUrl: z.string().nullable(),
});

export const serviceOrderListInput = z
  .object({
    ...userFields,
    limit: pageSize(50),
    cursor: orderIdSchema.nullish(),
  })
  .refine(oneUser, ONE_USER);

/** A refund as an admin may make it (any time, full or partial), with a requestId always. */
export const serviceRefundInput = cancelInput.extend({ requestId: requestIdSchema });

export const serviceWalletInput = z
  .object({
    ...userFields,
    limit: pageSize(100),
    cursor: z.uuid({ error: 'cursor must be a transaction id from nextCursor' }).nullish(),
  })
  .refine(oneUser, ONE_USER);

/** The same with the learner named by our user id only (REST: GET /users/{userId}/wallet). */
export const serviceWalletByUserIdInput = z.object({
  userId: z.uuid({ error: 'userId must be a user id (a UUID)' }).transform((id) => id.toLowerCase()),
  limit: pageSize(100),
  cursor: z.uuid({ error: 'cursor must be a transaction id from nextCursor' }).nullish(),
});

export const serviceWalletOutput = z.object({
  userId: z.string(),
  balance: z.number().int(),
  items: z.array(transactionOutput),
  nextCursor: z.string().nullable(),
});

/** The calling service's own id for a course: what it upserts and retires by. */
export const referenceSchema = z
  .string({ error: 'reference must be a string' })
  .trim()
  .min(1, 'reference must not be empty')
  .max(128, 'reference must be at most 128 characters')
  .regex(/^[A-Za-z0-9._:/-]+$/, 'reference must be letters, digits or . _ : / -');

export const serviceUpsertCourseInput = z.object({
  reference: referenceSchema,
  title: z
    .string({ error: 'title must be a string' })
    .trim()
    .min(1, 'title must not be empty')
    .max(100, 'title must be at most 100 characters')
    .regex(NO_CONTROL_CHARACTERS, 'title must not contain control characters'),
  description: z
    .string({ error: 'description must be a string' })
    .trim()
    .max(2000, 'description must be at most 2000 characters')
    .regex(/^(?:[^\p{Cc}]|[\n\r\t])*$/u, 'description must not contain control characters')
    .default(''),
  price: z
    .number({ error: 'price must be a number' })
    .int('price must be a whole number of won')
    .min(MIN_COURSE_PRICE, `price must be at least ${MIN_COURSE_PRICE} won`)
    .max(MAX_COURSE_PRICE, `price must be at most ${MAX_COURSE_PRICE.toLocaleString('en-US')} won`),
  requestId: requestIdSchema,
});

export const serviceRetireCourseInput = z.object({ reference: referenceSchema, requestId: requestIdSchema });

export const serviceCourseOutput = z.object({
  courseId: z.string(),
  reference: z.string(),
  title: z.string(),
  description: z.string(),
  price: z.number().int(),
  retiredAt: z.date().nullable(),
});

/** A webhook endpoint's id (`ep_` and 24 hex digits). */
const endpointIdSchema = z
  .string({ error: 'endpointId must be a string' })
  .regex(/^ep_[0-9a-f]{24}$/, 'endpointId must be ep_ and 24 hex digits');

const eventsSchema = z
  .array(z.enum(EVENT_TYPES, { error: `each event must be one of ${EVENT_TYPES.join(', ')}` }), {
    error: 'events must be an array of event types',
  })
  .min(1, 'events must name at least one event type')
  .max(EVENT_TYPES.length, 'events must not repeat event types');

export const serviceCreateEndpointInput = z.object({
  url: z
    .string({ error: 'url must be a string' })
    .trim()
    .min(1, 'url must not be empty')
    .max(2000, 'url must be at most 2000 characters'),
  events: eventsSchema,
  description: z
    .string({ error: 'description must be a string' })
    .trim()
    .max(200, 'description must be at most 200 characters')
    .regex(NO_CONTROL_CHARACTERS, 'description must not contain control characters')
    .default(''),
  requestId: requestIdSchema,
});

export const serviceEndpointIdInput = z.object({ endpointId: endpointIdSchema, requestId: requestIdSchema });

export const serviceUpdateEndpointInput = serviceEndpointIdInput.extend({ events: eventsSchema });

export const serviceEndpointOutput = z.object({
  endpointId: z.string(),
  url: z.string(),
  description: z.string(),
  events: z.array(z.string()),
  createdAt: z.date(),
  /** Set once disabled: nothing more is sent to it. */
  disabledAt: z.date().nullable(),
  /** After a rotation: until when deliveries also carry a signature with the previous secret. */
  previousSecretValidUntil: z.date().nullable(),
});

/** The whsec_ secret to verify our deliveries with: in the answer that made it, and in its replays. */
export const serviceEndpointWithSecretOutput = serviceEndpointOutput.extend({ secret: z.string() });

export const serviceEndpointListOutput = z.object({ items: z.array(serviceEndpointOutput) });
