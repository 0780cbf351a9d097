import { env } from '../env';

/** Toss's public docs test keys: the sandbox accepts exactly these, like a test-mode merchant. */
export const DOCS_TEST_KEYS = {
  clientKey: 'test_gck_docs_Ovk5rk1EwkEbP0W43n07xlzm',
  secretKey: 'test_gsk_docs_OaPz8L5KdmQXkzRz3y47BMw6',
} as const;

export const REAL_TOSS_API = 'https://api.tosspayments.com';
export const SANDBOX_WIDGET_SCRIPT = '/toss-sandbox/payment-widget.js';

export interface TossConfig {
  /** True when no keys are configured: the app talks to its own sandbox over HTTP. */
  sandbox: boolean;
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

/** Real keys switch everything to Toss; both or neither must be set. */
export function tossConfigFrom(e: TossEnv): TossConfig {
  if (Boolean(e.TOSS_CLIENT_KEY) !== Boolean(e.TOSS_SECRET_KEY)) {
    const missing = e.TOSS_CLIENT_KEY ? 'TOSS_SECRET_KEY' : 'TOSS_CLIENT_KEY';
    throw new Error(
      `Invalid environment configuration:\n  - ${missing}: is missing (set both Toss keys, or neither)`,
    );
  }
  const sandbox = !e.TOSS_SECRET_KEY;
  return {
    sandbox,
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
