import { db } from '../db/client';
import { tossExchangeRecorder } from '../payment/payment.repository';
import { createTossClient } from './toss-client';
import { tossConfig } from './toss-config';

/** The app's Toss client: the real API when keys are configured, otherwise the sandbox over HTTP. */
export function appTossClient() {
  const config = tossConfig();
  return createTossClient({
    baseUrl: config.apiBase,
    secretKey: config.secretKey,
    readTimeoutMs: config.readTimeoutMs,
    recorder: tossExchangeRecorder(db()),
  });
}
