import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Security headers for every response, pages and API alike. Pages get a Content-Security-Policy that
 * allows only what they use: our own origin, a per-request nonce for Next.js's scripts (Next reads it
 * from the request's CSP header and stamps it on every script it renders), and, in real mode, Toss's
 * widget origins. In sandbox mode the widget is our own script, so no other origin is allowed at all.
 */

const TOSS_ORIGINS = 'https://*.tosspayments.com';

export interface PagePolicyOptions {
  sandbox: boolean;
  /** `next dev` needs eval for React's debugging and a websocket for hot reload. */
  dev: boolean;
}

export function pagePolicy(nonce: string, { sandbox, dev }: PagePolicyOptions): string {
  const toss = sandbox ? '' : ` ${TOSS_ORIGINS}`;
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data:${toss}`,
    "font-src 'self' data:",
    `connect-src 'self'${toss}${dev ? ' ws: wss:' : ''}`,
    `frame-src ${sandbox ? "'none'" : TOSS_ORIGINS}`,
    `form-action 'self'${toss}`,
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** API answers are data, never documents: nothing may run, load or frame them. */
export const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** True when the request reached us over https, directly or through a proxy that says so. */
export function cameOverHttps(req: IncomingMessage): boolean {
  return (
    Boolean((req.socket as { encrypted?: boolean }).encrypted) || req.headers['x-forwarded-proto'] === 'https'
  );
}

/** The headers every response carries, whatever answers it. */
export function setCommonHeaders(req: IncomingMessage, res: ServerResponse, policy: string) {
  res.setHeader('Content-Security-Policy', policy);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
  res.setHeader('X-Frame-Options', 'DENY');
  if (cameOverHttps(req)) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
}
