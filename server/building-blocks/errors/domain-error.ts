/**
 * Refusals the domain can give. Each has a stable machine-readable reason (sent to clients at
 * `error.data.reason`) and the tRPC code it maps to. Services throw these; server/entry-points/trpc/init.ts maps
 * them once. Input validation errors are not here: zod reports those as BAD_REQUEST.
 */
export const DOMAIN_REASONS = {
  UNAUTHORIZED: {
    code: 'UNAUTHORIZED',
    message: 'Sign in first (the session is missing, expired or invalid).',
  },
  INVALID_CREDENTIALS: { code: 'UNAUTHORIZED', message: 'The email or password is wrong.' },
  /** Sign-in or sign-up over its limit (server/building-blocks/auth/attempt-limits.ts); carries retryAfterSeconds. */
  TOO_MANY_ATTEMPTS: { code: 'TOO_MANY_REQUESTS', message: 'Too many attempts; try again later.' },
  EMAIL_TAKEN: { code: 'CONFLICT', message: 'An account with this email already exists.' },
  NOT_FOUND: { code: 'NOT_FOUND', message: 'No such course.' },
  ALREADY_PURCHASED: { code: 'CONFLICT', message: 'You already own this course.' },
  /** A retried wallet.pay whose first answer can no longer be rebuilt: its enrollment ended long ago. */
  PURCHASE_REFUNDED: {
    code: 'CONFLICT',
    message: 'This purchase went through and was refunded since; see the order.',
  },
  INSUFFICIENT_BALANCE: {
    code: 'PRECONDITION_FAILED',
    message: 'The wallet balance is too low for this payment.',
  },
  BALANCE_LIMIT_EXCEEDED: {
    code: 'PRECONDITION_FAILED',
    message: 'This charge would take the balance past the 100,000 won limit.',
  },
  FORBIDDEN: { code: 'FORBIDDEN', message: 'Only an admin may do this.' },
  TEST_CHARGE_DISABLED: {
    code: 'FORBIDDEN',
    message: 'The test charge exists only in sandbox mode; charge the wallet by card.',
  },
  ORDER_NOT_FOUND: { code: 'NOT_FOUND', message: 'No such order.' },
  NOT_REFUNDABLE: { code: 'PRECONDITION_FAILED', message: 'This order cannot be refunded.' },
  REFUND_EXCEEDS_PAYMENT: {
    code: 'PRECONDITION_FAILED',
    message: 'The refund would exceed what is left of the payment.',
  },
  REFUND_WINDOW_CLOSED: {
    code: 'PRECONDITION_FAILED',
    message: 'Learners can refund within 7 days of purchase, in full; ask an admin otherwise.',
  },
  TOSS_UNAVAILABLE: { code: 'SERVICE_UNAVAILABLE', message: 'Toss could not be reached; try again.' },
  /** Group commit's queue is full: the change was never sent, so the same request may simply be sent again. */
  BALANCE_BUSY: {
    code: 'SERVICE_UNAVAILABLE',
    message:
      'Too many balance changes are waiting; nothing was changed. Send the same request again shortly.',
  },
  PAYMENT_IN_DOUBT: {
    code: 'CONFLICT',
    message: 'The outcome of this payment is still being checked with Toss; try again shortly.',
  },
  /** A card payment of this course is being confirmed or checked with Toss; it must settle first. */
  PAYMENT_IN_PROGRESS: {
    code: 'CONFLICT',
    message: 'A payment for this course is still being confirmed; wait until it settles.',
  },
  ORDER_NOT_PAYABLE: { code: 'CONFLICT', message: 'This order is not awaiting payment.' },
  AMOUNT_MISMATCH: {
    code: 'BAD_REQUEST',
    message: "The amount does not match the order's amount; nothing was charged.",
  },
  PAYMENT_FAILED: { code: 'PRECONDITION_FAILED', message: 'The card payment was refused.' },
  /** An admin named a learner by an email no account has. */
  USER_NOT_FOUND: { code: 'NOT_FOUND', message: 'No account has this email.' },
  /** Nobody adjusts their own wallet: another admin must, so every adjustment has two people behind it. */
  OWN_WALLET_ADJUSTMENT: {
    code: 'FORBIDDEN',
    message: 'An admin cannot adjust their own wallet; ask another admin.',
  },
  /** A course an admin retired: it stays in old orders and can no longer be bought. */
  COURSE_RETIRED: { code: 'PRECONDITION_FAILED', message: 'This course is no longer sold.' },
  ALERT_NOT_FOUND: { code: 'NOT_FOUND', message: 'No such alert.' },
  ALERT_ALREADY_ACKNOWLEDGED: { code: 'CONFLICT', message: 'This alert was already acknowledged.' },
  ALERT_ALREADY_RESOLVED: { code: 'CONFLICT', message: 'This alert was already resolved.' },
  /** Signed service requests (server/building-blocks/service-auth/signature.ts): each way one is refused. */
  SIGNATURE_INVALID: {
    code: 'UNAUTHORIZED',
    message: 'The request signature is malformed or does not match the request.',
  },
  SIGNATURE_EXPIRED: {
    code: 'UNAUTHORIZED',
    message: 'The request timestamp is more than 300 seconds from our clock; sign it again.',
  },
  NONCE_REUSED: {
    code: 'UNAUTHORIZED',
    message: 'This nonce was already used; sign every request with a new one.',
  },
  SERVICE_KEY_UNKNOWN: { code: 'UNAUTHORIZED', message: 'No such service key.' },
  SERVICE_KEY_REVOKED: { code: 'UNAUTHORIZED', message: 'This service key was revoked.' },
  SCOPE_MISSING: { code: 'FORBIDDEN', message: 'This service key lacks the scope this call needs.' },
  /** A service procedure called without a service's signature (a learner's token, or nothing). */
  SERVICE_SIGNATURE_REQUIRED: {
    code: 'UNAUTHORIZED',
    message: 'Only a request signed with a service key may call this.',
  },
  /** A service's signed request to a learner's or an admin's procedure. */
  SERVICE_KEY_NOT_ACCEPTED: {
    code: 'FORBIDDEN',
    message: "A service key cannot call a learner's or an admin's procedure.",
  },
  WEBHOOK_ENDPOINT_NOT_FOUND: { code: 'NOT_FOUND', message: 'No such webhook endpoint.' },
  WEBHOOK_ENDPOINT_DISABLED: { code: 'CONFLICT', message: 'This webhook endpoint is disabled.' },
  WALLET_PART_TOO_LARGE: {
    code: 'BAD_REQUEST',
    message: 'walletAmount must not be more than the course price.',
  },
  USE_BALANCE_PAYMENT: {
    code: 'BAD_REQUEST',
    message: 'The wallet pays the whole price: use wallet.pay, not a card order.',
  },
  CARD_PART_TOO_SMALL: {
    code: 'BAD_REQUEST',
    message: 'The card part (price - walletAmount) must be 0 or at least 100 won.',
  },
  COMPOSITE_UNAVAILABLE: {
    code: 'PRECONDITION_FAILED',
    message: 'Paying with balance and card together is off under BALANCE_STRATEGY=in-process-lock.',
  },
  WEBHOOK_ENDPOINT_LIMIT: {
    code: 'PRECONDITION_FAILED',
    message: 'This service key already has 10 enabled webhook endpoints; disable one first.',
  },
  /** An endpoint URL that is not http(s), or (in live mode) not https or pointing at a private address. */
  WEBHOOK_URL_REFUSED: {
    code: 'BAD_REQUEST',
    message: 'The endpoint URL must be a public https URL (http is allowed only in sandbox mode).',
  },
  EVENT_NOT_FOUND: { code: 'NOT_FOUND', message: 'No such event.' },
  /** SERVICE_KEY_ENCRYPTION_KEY is not set: no secret can be sealed or opened. */
  SEALING_KEY_MISSING: {
    code: 'PRECONDITION_FAILED',
    message: 'SERVICE_KEY_ENCRYPTION_KEY is not set on the server.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    code: 'CONFLICT',
    message: 'This requestId was already used for a different request.',
  },
  /** Signed checkout links (server/use-cases/service/checkout-intent.ts): each way one is refused. */
  CHECKOUT_LINK_INVALID: {
    code: 'BAD_REQUEST',
    message: 'This checkout link is malformed, or its signature does not verify.',
  },
  CHECKOUT_LINK_EXPIRED: { code: 'PRECONDITION_FAILED', message: 'This checkout link has expired.' },
  CHECKOUT_LINK_OTHER_ACCOUNT: {
    code: 'FORBIDDEN',
    message: 'This checkout link was made for another account.',
  },
  CHECKOUT_LINK_PRICE_CHANGED: {
    code: 'CONFLICT',
    message: "The link's amount is not the course's price now; the link must be made again.",
  },
  CHECKOUT_LINK_REUSED: {
    code: 'CONFLICT',
    message: "This link's reference was already used for a different order.",
  },
} as const;

export type DomainReason = keyof typeof DOMAIN_REASONS;

export function isDomainReason(value: string): value is DomainReason {
  return Object.hasOwn(DOMAIN_REASONS, value);
}

export class DomainError extends Error {
  readonly reason: DomainReason;
  /** When the caller may try again: sent as the `Retry-After` header and `error.data.retryAfterSeconds`. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    reason: DomainReason,
    message: string = DOMAIN_REASONS[reason].message,
    options: { retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.reason = reason;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get code() {
    return DOMAIN_REASONS[this.reason].code;
  }
}
