import { env } from '../env';

/** Toss's public docs test keys: the sandbox accepts exactly these, like a test-mode merchant. */
export const DOCS_TEST_KEYS = {
  clientKey: 'test_gck_docs_Ovk5rk1EwkEbP0W43n07xlzm',
  secretKey: 'test_gsk_docs_OaPz8L5KdmQXkzRz3y47BMw6',
} as const;

export const REAL_TOSS_API = 'https://api.tosspayments.com';
export const SANDBOX_WIDGET_SCRIPT = '/toss-sandbox/payment-widget.js';

export interface TossConfig {
  /** Sandbox mode (TOSS_SANDBOX=on): the app talks to its own offline Toss over HTTP; no real money moves. */
  sandbox: boolean;
  /** Bearer secret for the sandbox's fault injection; null: fault injection is refused. */
  sandboxControlSecret: string | null;
  clientKey: string;
  secretKey: string;
  apiBase: string;
  readTimeoutMs: number;
  confirmWindowMs: number;
  /** Where the browser loads the widget from; undefined means Toss's CDN (the SDK's default). */
  widgetScriptUrl: string | undefined;
  /** Where the sandbox sends its webhooks, and how its retry schedule is scaled. */
  sandboxWebhookUrl: string;
  webhookTimeScale: number;
}

type TossEnv = Pick<
  ReturnType<typeof env>,
  | 'TOSS_CLIENT_KEY'
  | 'TOSS_SECRET_KEY'
  | 'TOSS_SANDBOX'
  | 'TOSS_SANDBOX_CONTROL_SECRET'
  | 'TOSS_API_BASE'
  | 'TOSS_READ_TIMEOUT_MS'
  | 'TOSS_SANDBOX_CONFIRM_WINDOW_MS'
  | 'PORT'
  | 'TOSS_SANDBOX_WEBHOOK_URL'
  | 'TOSS_SANDBOX_WEBHOOK_TIME_SCALE'
>;

export function tossConfig(): TossConfig {
  return tossConfigFrom(env());
}

function refuse(line: string): never {
  throw new Error(`Invalid environment configuration:\n  - ${line}`);
}

/**
 * One mode at a time, chosen explicitly: real Toss keys, or TOSS_SANDBOX=on (the offline sandbox, in
 * which anyone can "pay" without a card). Neither is refused, so a deployment that forgot its keys can
 * never give courses away; the start script turns the sandbox on by default only for the embedded demo.
 */
export function tossConfigFrom(e: TossEnv): TossConfig {
  if (Boolean(e.TOSS_CLIENT_KEY) !== Boolean(e.TOSS_SECRET_KEY)) {
    const missing = e.TOSS_CLIENT_KEY ? 'TOSS_SECRET_KEY' : 'TOSS_CLIENT_KEY';
    refuse(`${missing}: is missing (set both Toss keys, or neither and TOSS_SANDBOX=on)`);
  }
  const keys = Boolean(e.TOSS_SECRET_KEY);
  if (keys && e.TOSS_SANDBOX === 'on') {
    refuse(
      'TOSS_SANDBOX: must not be on while TOSS_CLIENT_KEY and TOSS_SECRET_KEY are set (one mode at a time)',
    );
  }
  if (!keys && e.TOSS_SANDBOX !== 'on') {
    refuse(
      'TOSS_CLIENT_KEY, TOSS_SECRET_KEY: are missing. Set both Toss keys to take real payments, or ' +
        'TOSS_SANDBOX=on to run the offline sandbox (no real money moves; anyone can pay without a card)',
    );
  }
  const sandbox = !keys;
  return {
    sandbox,
    sandboxControlSecret: sandbox ? (e.TOSS_SANDBOX_CONTROL_SECRET ?? null) : null,
    clientKey: e.TOSS_CLIENT_KEY ?? DOCS_TEST_KEYS.clientKey,
    secretKey: e.TOSS_SECRET_KEY ?? DOCS_TEST_KEYS.secretKey,
    apiBase: e.TOSS_API_BASE ?? (sandbox ? `http://127.0.0.1:${e.PORT}/api/toss-sandbox` : REAL_TOSS_API),
    readTimeoutMs: e.TOSS_READ_TIMEOUT_MS,
    confirmWindowMs: e.TOSS_SANDBOX_CONFIRM_WINDOW_MS,
    widgetScriptUrl: sandbox ? SANDBOX_WIDGET_SCRIPT : undefined,
    sandboxWebhookUrl: e.TOSS_SANDBOX_WEBHOOK_URL ?? `http://127.0.0.1:${e.PORT}/api/webhooks/toss`,
    webhookTimeScale: e.TOSS_SANDBOX_WEBHOOK_TIME_SCALE,
  };
}
