import { z } from 'zod';
import { NO_CONTROL_CHARACTERS } from '../patterns';
import { MAX_INTENT_LENGTH } from '../service-auth/checkout-intent';
import { KEY_ID } from '../service-auth/signature';
import { MIN_CARD_AMOUNT } from '../toss/toss-limits';
import { MAX_COURSE_PRICE } from './admin.schemas';
import { ONE_USER, oneUser, referenceSchema, userFields } from './service.schemas';
import { courseIdSchema } from './wallet.schemas';

/**
 * A signed checkout link (server/building-blocks/service-auth/checkout-intent.ts): what the learner's page
 * sends, and the payload a service signs. Messages are English, for the service that made the link.
 */

export const checkoutIntentInput = z.object({
  intent: z
    .string({ error: 'intent must be a string' })
    .trim()
    .min(1, 'intent must not be empty')
    .max(MAX_INTENT_LENGTH, `intent must be at most ${MAX_INTENT_LENGTH} characters`),
});

export const checkoutIntentOutput = z.object({
  orderId: z.string(),
  /** CREATED: pay it at /checkout/<orderId>; anything else: it was paid (or ended), see /orders/<orderId>. */
  status: z.string(),
});

const amountSchema = z
  .number({ error: 'amount must be a number' })
  .int('amount must be a whole number of won')
  .min(MIN_CARD_AMOUNT, `amount must be at least ${MIN_CARD_AMOUNT} won for a card payment`)
  .max(MAX_COURSE_PRICE, `amount must be at most ${MAX_COURSE_PRICE.toLocaleString('en-US')} won`);

const common = {
  v: z.literal(1, { error: 'v must be 1' }),
  keyId: z.string({ error: 'keyId must be a string' }).regex(KEY_ID, 'keyId must be a service key id (pk_…)'),
  reference: referenceSchema,
  ...userFields,
  exp: z
    .number({ error: 'exp must be a number' })
    .int('exp must be whole Unix seconds')
    .positive('exp must be Unix seconds'),
};

export const checkoutIntentPayload = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({
        ...common,
        type: z.literal('COURSE'),
        courseId: courseIdSchema,
        /** When given, it must be the course's price (the link was made for that price). */
        amount: amountSchema.optional(),
      }),
      z.strictObject({
        ...common,
        type: z.literal('CHARGE'),
        amount: amountSchema,
        orderName: z
          .string({ error: 'orderName must be a string' })
          .trim()
          .min(1, 'orderName must not be empty')
          .max(100, 'orderName must be at most 100 characters')
          .regex(NO_CONTROL_CHARACTERS, 'orderName must not contain control characters'),
      }),
    ],
    { error: "type must be 'COURSE' or 'CHARGE'" },
  )
  .refine(oneUser, ONE_USER);

export type CheckoutIntentPayload = z.infer<typeof checkoutIntentPayload>;
