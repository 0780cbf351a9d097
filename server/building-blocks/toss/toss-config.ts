import { createHmac } from 'node:crypto';
import { env } from '../env';

/** Toss's public docs test keys: the sandbox accepts exactly these, like a test-mode merchant. */
export const DOCS_TEST_KEYS = {
  clientKey: 'test_gck_docs_Ovk5rk1EwkEbP0W43n07xlzm',
  secretKey: 'test_gsk_docs_OaPz8L5KdmQXkzRz3y47BMw6',
} as const;

export const REAL_TOSS_API = 'https://api.tosspayments.com';
export const SANDBOX_WIDGET_SCRIPT = '/toss-sandbox/payment-widget.js';

/**
 * Where payments go: `sandbox`, the project's offline Toss (TOSS_SANDBOX=on); `toss-test`, Toss itself
 * with test keys (`test_…`: Toss approves test cards, no money moves); `live`, Toss with live keys.
 */
export type TossMode = 'sandbox' | 'toss-test' | 'live';

export interface TossConfig {
  mode: TossMode;
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

/**
 * The secret key the sandbox's REST API demands, as Toss demands the merchant's. With a control secret
 * (the demo makes one) it is derived from it, so it is this installation's own: the docs test key is
 * public, and anyone holding it could read every sandbox payment and cancel other learners' payments
 * (which the janitor would then book as cancels made at Toss). Without one, the docs key (tests).
 */
function sandboxSecretKey(controlSecret: string | undefined): string {
  if (!controlSecret) return DOCS_TEST_KEYS.secretKey;
  return `test_gsk_sandbox_${createHmac('sha256', controlSecret).update('toss-sandbox-secret-key').digest('base64url')}`;
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
  const testKeys = [e.TOSS_CLIENT_KEY, e.TOSS_SECRET_KEY].map((key) => key?.startsWith('test_'));
  if (keys && testKeys[0] !== testKeys[1]) {
    refuse(
      'TOSS_CLIENT_KEY, TOSS_SECRET_KEY: one is a test key and the other a live key; use a matching pair',
    );
  }
  const sandbox = !keys;
  return {
    mode: sandbox ? 'sandbox' : testKeys[0] ? 'toss-test' : 'live',
    sandbox,
    sandboxControlSecret: sandbox ? (e.TOSS_SANDBOX_CONTROL_SECRET ?? null) : null,
    clientKey: e.TOSS_CLIENT_KEY ?? DOCS_TEST_KEYS.clientKey,
    secretKey: e.TOSS_SECRET_KEY ?? sandboxSecretKey(e.TOSS_SANDBOX_CONTROL_SECRET),
    apiBase: e.TOSS_API_BASE ?? (sandbox ? `http://127.0.0.1:${e.PORT}/api/toss-sandbox` : REAL_TOSS_API),
    readTimeoutMs: e.TOSS_READ_TIMEOUT_MS,
    confirmWindowMs: e.TOSS_SANDBOX_CONFIRM_WINDOW_MS,
    widgetScriptUrl: sandbox ? SANDBOX_WIDGET_SCRIPT : undefined,
    sandboxWebhookUrl: e.TOSS_SANDBOX_WEBHOOK_URL ?? `http://127.0.0.1:${e.PORT}/api/webhooks/toss`,
    webhookTimeScale: e.TOSS_SANDBOX_WEBHOOK_TIME_SCALE,
  };
}
