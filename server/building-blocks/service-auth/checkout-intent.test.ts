import { describe, expect, it } from 'vitest';
import { checkoutLink, intentSignatureMatches, readIntent, signCheckoutIntent } from './checkout-intent';

/** The README's worked example of a signed checkout link (any language must get these exact bytes). */
const EXAMPLE = {
  credentials: { keyId: 'pk_EXAMPLEexample0123456789', secret: 'sk_example_secret_do_not_use' },
  fields: {
    reference: 'order-7f3a',
    userEmail: 'learner@example.com',
    type: 'COURSE',
    courseId: '0b6f3c2e-5d1a-4c8e-9f7a-2e4b6d8c0a13',
    exp: 1764586800,
  },
  json: '{"v":1,"keyId":"pk_EXAMPLEexample0123456789","reference":"order-7f3a","userEmail":"learner@example.com","type":"COURSE","courseId":"0b6f3c2e-5d1a-4c8e-9f7a-2e4b6d8c0a13","exp":1764586800}',
  signature: '2DtVzFd15iytI6gluUqmv8ECQaGR6WCveTXeJw6Y6Vc',
} as const;

describe('signed checkout links', () => {
  it('signs the README example to the bytes it shows', () => {
    const intent = signCheckoutIntent(EXAMPLE.credentials, EXAMPLE.fields);
    const payloadText = Buffer.from(EXAMPLE.json).toString('base64url');
    expect(intent).toBe(`${payloadText}.${EXAMPLE.signature}`);
    expect(checkoutLink('https://payments.example/', EXAMPLE.credentials, EXAMPLE.fields)).toBe(
      `https://payments.example/checkout?intent=${intent}`,
    );
    const read = readIntent(intent);
    expect(read?.payload).toEqual(JSON.parse(EXAMPLE.json));
    expect(
      intentSignatureMatches(['sk_other', EXAMPLE.credentials.secret], payloadText, EXAMPLE.signature),
    ).toBe(true);
    expect(intentSignatureMatches(['sk_other'], payloadText, EXAMPLE.signature)).toBe(false);
  });

  it('expires an hour after signing unless told', () => {
    const now = new Date('2025-12-01T10:00:00Z');
    const { exp: _exp, ...fields } = EXAMPLE.fields;
    const intent = signCheckoutIntent(EXAMPLE.credentials, fields, { now });
    expect(readIntent(intent)?.payload).toMatchObject({ exp: now.getTime() / 1000 + 3600 });
  });

  it('reads only <base64url>.<43 base64url characters>, and JSON inside', () => {
    const [payloadText] = signCheckoutIntent(EXAMPLE.credentials, EXAMPLE.fields).split('.');
    for (const bad of [
      '',
      'abc',
      `${payloadText}.`,
      `${payloadText}.${'A'.repeat(42)}`,
      `${payloadText}.${'A'.repeat(44)}`,
      `${payloadText}=.${EXAMPLE.signature}`,
      `${Buffer.from('not json').toString('base64url')}.${EXAMPLE.signature}`,
      `${'A'.repeat(3000)}.${EXAMPLE.signature}`,
    ]) {
      expect(readIntent(bad)).toBeNull();
    }
  });
});
