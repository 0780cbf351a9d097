import { describe, expect, it } from 'vitest';
import { DOCS_TEST_KEYS, REAL_TOSS_API, tossConfigFrom } from './toss-config';

const base = {
  TOSS_READ_TIMEOUT_MS: 60_000,
  TOSS_SANDBOX_CONFIRM_WINDOW_MS: 600_000,
  PORT: 3000,
  TOSS_SANDBOX_WEBHOOK_TIME_SCALE: 1,
};

describe('Toss configuration', () => {
  it('uses the shipped sandbox with the docs test keys when TOSS_SANDBOX=on', () => {
    expect(tossConfigFrom({ ...base, TOSS_SANDBOX: 'on' })).toEqual({
      mode: 'sandbox',
      sandbox: true,
      sandboxControlSecret: null,
      clientKey: DOCS_TEST_KEYS.clientKey,
      secretKey: DOCS_TEST_KEYS.secretKey,
      apiBase: 'http://127.0.0.1:3000/api/toss-sandbox',
      readTimeoutMs: 60_000,
      confirmWindowMs: 600_000,
      widgetScriptUrl: '/toss-sandbox/payment-widget.js',
      sandboxWebhookUrl: 'http://127.0.0.1:3000/api/webhooks/toss',
      webhookTimeScale: 1,
    });
  });

  it('switches to the real Toss, and its CDN widget, with real keys and nothing else', () => {
    const config = tossConfigFrom({
      ...base,
      TOSS_CLIENT_KEY: 'live_gck_abc',
      TOSS_SECRET_KEY: 'live_gsk_abc',
    });
    expect(config).toMatchObject({
      mode: 'live',
      sandbox: false,
      apiBase: REAL_TOSS_API,
      widgetScriptUrl: undefined,
    });
    expect(config.secretKey).toBe('live_gsk_abc');
  });

  it("says so when Toss's own test keys are set (no money moves), and refuses a test key with a live one", () => {
    expect(
      tossConfigFrom({ ...base, TOSS_CLIENT_KEY: 'test_gck_abc', TOSS_SECRET_KEY: 'test_gsk_abc' }),
    ).toMatchObject({ mode: 'toss-test', sandbox: false, apiBase: REAL_TOSS_API });
    expect(() =>
      tossConfigFrom({ ...base, TOSS_CLIENT_KEY: 'test_gck_abc', TOSS_SECRET_KEY: 'live_gsk_abc' }),
    ).toThrow(/one is a test key and the other a live key/);
  });

  it('refuses to start with neither keys nor TOSS_SANDBOX=on, naming what to set', () => {
    for (const mode of [undefined, 'off'] as const) {
      expect(() => tossConfigFrom({ ...base, TOSS_SANDBOX: mode })).toThrow(
        /TOSS_CLIENT_KEY, TOSS_SECRET_KEY: are missing.*TOSS_SANDBOX=on/,
      );
    }
  });

  it('refuses real keys together with TOSS_SANDBOX=on: one mode at a time', () => {
    expect(() =>
      tossConfigFrom({
        ...base,
        TOSS_SANDBOX: 'on',
        TOSS_CLIENT_KEY: 'live_gck_abc',
        TOSS_SECRET_KEY: 'live_gsk_abc',
      }),
    ).toThrow(/TOSS_SANDBOX: must not be on/);
  });

  it('keeps the fault-injection secret only in sandbox mode', () => {
    const secret = 'c'.repeat(40);
    expect(
      tossConfigFrom({ ...base, TOSS_SANDBOX: 'on', TOSS_SANDBOX_CONTROL_SECRET: secret }),
    ).toMatchObject({
      sandboxControlSecret: secret,
    });
  });

  it('refuses one key without the other, naming the missing one', () => {
    expect(() => tossConfigFrom({ ...base, TOSS_CLIENT_KEY: 'test_gck_x' })).toThrow(
      /TOSS_SECRET_KEY: is missing/,
    );
    expect(() => tossConfigFrom({ ...base, TOSS_SECRET_KEY: 'test_gsk_x' })).toThrow(
      /TOSS_CLIENT_KEY: is missing/,
    );
  });
});
