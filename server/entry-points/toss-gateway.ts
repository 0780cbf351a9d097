import { db } from '../building-blocks/db/client';
import { tossExchangeRecorder } from '../building-blocks/payment/payment.repository';
import { createTossClient } from '../building-blocks/toss/toss-client';
import { tossConfig } from '../building-blocks/toss/toss-config';

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
