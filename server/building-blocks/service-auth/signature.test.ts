import { describe, expect, it } from 'vitest';
import { parseScopes } from './scopes';
import {
  computeSignature,
  newKeyCredentials,
  readSignatureHeaders,
  signatureMatches,
  signingString,
  signRequest,
  timestampFresh,
} from './signature';

/** The README's worked example, byte for byte (checked against Python's hmac and hashlib too). */
const EXAMPLE = {
  secret: 'sk_example_secret_do_not_use',
  parts: {
    method: 'POST',
    pathWithQuery: '/api/trpc/service.orders.create',
    timestamp: '1764583200',
    nonce: 'c2f1e0a4-example-nonce',
    body: '{"json":{"userEmail":"learner@example.com","type":"CHARGE","amount":10000,"requestId":"order-7f3a"}}',
  },
};

describe('signed service requests', () => {
  it('signs the worked example in the README exactly', () => {
    expect(signingString(EXAMPLE.parts)).toBe(
      'POST\n/api/trpc/service.orders.create\n1764583200\nc2f1e0a4-example-nonce\nd9005615863cbc909104b815a2f0ab7385a0f15b19a866517a858f34b8d89c42',
    );
    expect(computeSignature(EXAMPLE.secret, EXAMPLE.parts)).toBe(
      'v1=sFq5Hqt8Er8gPAzDzykiv+29zQtQf0tnVJ3bQp36ARw=',
    );
  });

  it('hashes the empty string when there is no body, and upper-cases the method', () => {
    const get = { ...EXAMPLE.parts, method: 'get', body: '' };
    expect(signingString(get).split('\n')).toEqual([
      'GET',
      '/api/trpc/service.orders.create',
      '1764583200',
      'c2f1e0a4-example-nonce',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ]);
  });

  it('matches only the same request under one of the secrets', () => {
    const signature = computeSignature(EXAMPLE.secret, EXAMPLE.parts);
    expect(signatureMatches([EXAMPLE.secret], EXAMPLE.parts, signature)).toBe(true);
    expect(signatureMatches(['sk_other', EXAMPLE.secret], EXAMPLE.parts, signature)).toBe(true);
    expect(signatureMatches(['sk_other'], EXAMPLE.parts, signature)).toBe(false);
    expect(signatureMatches([], EXAMPLE.parts, signature)).toBe(false);
    for (const change of [
      { method: 'PUT' },
      { pathWithQuery: '/api/trpc/service.orders.get' },
      { timestamp: '1764583201' },
      { nonce: 'another-nonce-123' },
      { body: EXAMPLE.parts.body.replace('10000', '90000') },
    ]) {
      expect(signatureMatches([EXAMPLE.secret], { ...EXAMPLE.parts, ...change }, signature)).toBe(false);
    }
    expect(signatureMatches([EXAMPLE.secret], EXAMPLE.parts, 'v1=short')).toBe(false);
  });

  it('accepts a timestamp up to 300 s away either way, and nothing further', () => {
    const now = new Date(1764583200_000);
    expect(timestampFresh('1764583200', now)).toBe(true);
    expect(timestampFresh(String(1764583200 - 300), now)).toBe(true);
    expect(timestampFresh(String(1764583200 + 300), now)).toBe(true);
    expect(timestampFresh(String(1764583200 - 301), now)).toBe(false);
    expect(timestampFresh(String(1764583200 + 301), now)).toBe(false);
  });

  it('reads the four headers, tells an unsigned request from a malformed one', () => {
    const { keyId, secret } = newKeyCredentials();
    expect(keyId).toMatch(/^pk_[0-9A-Za-z]{24}$/);
    const headers = new Headers(
      signRequest({ keyId, secret }, { method: 'GET', pathWithQuery: '/x', body: '' }),
    );
    const read = readSignatureHeaders((n) => headers.get(n));
    expect(read).toMatchObject({ signed: true, malformed: false, headers: { keyId } });
    expect(readSignatureHeaders(() => null)).toEqual({ signed: false });
    headers.delete('x-pay-nonce');
    expect(readSignatureHeaders((n) => headers.get(n))).toEqual({ signed: true, malformed: true });
  });

  it('parses scope lists and names what is unknown', () => {
    expect(parseScopes('orders:write, orders:read,orders:write')).toEqual({
      ok: true,
      scopes: ['orders:write', 'orders:read'],
    });
    expect(parseScopes('orders:write,orders:delete')).toMatchObject({
      ok: false,
      error: expect.stringContaining('orders:delete'),
    });
    expect(parseScopes(' , ')).toMatchObject({ ok: false });
  });
});
