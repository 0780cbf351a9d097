import fc from 'fast-check';
import superjson from 'superjson';
import type { Probe } from './fuzz-oracle';

/**
 * Generators of malformed requests for the fuzz test (server/entry-points/http/fuzz.test.ts): values of every wrong
 * type, inputs that are almost right, broken superjson envelopes, broken JSON text and bytes, odd
 * methods, content types, query strings and batch paths.
 */

/** JSON text written as is: what JSON.stringify cannot write (-0, 1e400, a raw lone surrogate). */
export class RawJson {
  constructor(readonly text: string) {}
}

export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : toJsonText(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** An object with these own keys, `__proto__` included (a literal would set the prototype instead). */
export function objectWith(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return object;
}

const nestedArray = (depth: number): unknown => (depth === 0 ? 1 : [nestedArray(depth - 1)]);
const nestedObject = (depth: number): unknown => (depth === 0 ? {} : { a: nestedObject(depth - 1) });
const char = (from: number, to: number) =>
  fc.integer({ min: from, max: to }).map((c) => String.fromCharCode(c));

/**
 * Any code point but a lone surrogate, and graphemes made of several code points. Not fast-check's
 * 'binary' and 'grapheme' units: `fc.string` over those builds a reverse map of every code point (over
 * a million entries each, tens of megabytes) as soon as the module loads, which this file never needs.
 */
const codePoint = fc
  .oneof(fc.integer({ min: 0, max: 0xd7ff }), fc.integer({ min: 0xe000, max: 0x10ffff }))
  .map((c) => String.fromCodePoint(c));
const grapheme = fc.oneof(
  codePoint,
  fc.constantFrom(
    'e\u0301', // é written as e and a combining accent
    '\u1112\u1161\u11ab', // 한 written as three jamo
    '👍🏽', // an emoji with a skin tone
    '👨‍👩‍👧', // a family joined by zero-width joiners
    '🇰🇷', // a flag: two regional indicators
    '\r\n',
    'ก\u0e33',
  ),
);

const numberJunk = fc.oneof(
  fc.constantFrom<unknown>(
    new RawJson('-0'),
    new RawJson('1e400'),
    new RawJson('-1e400'),
    new RawJson('1e-400'),
    new RawJson('1E3'),
    new RawJson('1000.0'),
    new RawJson('123456789012345678901234567890'),
    0,
    -1,
    0.5,
    1_000.5,
    99_999.999,
    100_001,
    1e21,
    2 ** 31,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 53),
    Number.MAX_VALUE,
    Number.MIN_VALUE,
  ),
  fc.double(),
  fc.integer(),
);

const numericStrings = fc.constantFrom<unknown>(
  'NaN',
  'Infinity',
  '-Infinity',
  '1e3',
  '0x3e8',
  '0b1111101000',
  '1_000',
  ' 1000',
  '1000 ',
  '1,000',
  '１０００',
  '-0',
  '+1000',
  '1000.5',
  '١٠٠٠',
  'null',
  'undefined',
  'true',
);

const stringJunk = fc.oneof(
  fc.constantFrom<unknown>(
    '',
    ' ',
    '\t\n',
    new RawJson('"a\ud800b"'), // a raw lone surrogate: UTF-8 on the wire makes it U+FFFD
    '\u0001',
    '\u0007bell',
    '\u001b[31mred',
    '\u007f',
    '\u0085',
    '\u2028',
    '\u202eevil',
    '\ufeff',
    'sys:order:x',
    "'; DROP TABLE users; --",
    '%00',
    '<script>alert(1)</script>',
    '{{7*7}}',
    '__proto__',
    'x'.repeat(129),
    'x'.repeat(201),
    'x'.repeat(1_001),
    'x'.repeat(10_000),
    'é'.repeat(5_000),
    '😀'.repeat(3_000),
    `${'A'.repeat(99)}😀`,
    'a@b',
    '@example.com',
    'a@example',
    ' A@EXAMPLE.COM ',
    '2026-02-30',
    '2026-13-01',
    '99999-01-01',
    '2026-01-01T00:00:00Z',
    '0000-00-00',
    '0000-01-01',
    '1999-12-31',
    '9999-12-31',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: grapheme, maxLength: 20 }),
  fc.string({ unit: codePoint, maxLength: 40 }),
  fc.string({ unit: char(1, 0x1f), minLength: 1, maxLength: 5 }),
);

/** What the edge refuses before any parser sees it: NUL, lone surrogates, nesting deeper than 32. */
const edgeJunk = fc.oneof(
  fc.constantFrom<unknown>(
    '\u0000',
    'a\u0000b',
    new RawJson('"a\u0000b"'),
    '\ud800',
    'a\udc00b',
    '\udbff\udbff',
    nestedArray(40),
    nestedObject(33),
  ),
  char(0xd800, 0xdfff).map((surrogate) => `id-${surrogate}`),
);

const shapeJunk = fc.constantFrom<unknown>(
  null,
  true,
  false,
  [],
  {},
  [1, 2, 3],
  [[]],
  [{}],
  { a: {} },
  nestedArray(20),
  nestedArray(31),
  objectWith([['__proto__', { amount: 1_000, isAdmin: true }]]),
  objectWith([['constructor', { prototype: { polluted: true } }]]),
  objectWith([['__proto__', null]]),
);

/** A JSON value of any wrong kind. */
export const plainJunk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: numberJunk },
  { weight: 2, arbitrary: numericStrings },
  { weight: 4, arbitrary: stringJunk },
  { weight: 2, arbitrary: shapeJunk },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: edgeJunk },
);

/** Values superjson can carry that JSON cannot: sent with their proper meta, still the wrong type. */
const richJunk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    undefined,
    10n ** 30n,
    1_000n,
    new Date(Number.NaN),
    new Date(0),
    /x/,
    new Map([[1, 2]]),
    new Set([1]),
    new URL('http://example.com/'),
    new Error('boom'),
    [undefined],
  ),
  fc.bigInt(),
  fc.date(),
  fc.string({ maxLength: 20 }),
  fc.jsonValue({ maxDepth: 1 }),
);

const ABSENT = Symbol('absent');

/** Inputs for a procedure reading `fields`: each field right, wrong or missing, plus extra keys. */
function inputFor(
  fields: readonly string[],
  plausible: (field: string) => fc.Arbitrary<unknown>,
  junk: fc.Arbitrary<unknown>,
): fc.Arbitrary<unknown> {
  const field = (name: string) =>
    fc.oneof(
      { weight: 4, arbitrary: plausible(name) },
      { weight: 3, arbitrary: junk },
      { weight: 1, arbitrary: fc.constant(ABSENT) },
    );
  const extraKey = fc.oneof(
    fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'then',
      'json',
      'meta',
      'role',
      'userId',
    ),
    fc.string({ maxLength: 8 }),
  );
  const object = fc
    .tuple(fc.tuple(...fields.map(field)), fc.array(fc.tuple(extraKey, junk), { maxLength: 2 }))
    .map(([values, extra]) =>
      objectWith([
        ...fields.flatMap((name, i) => (values[i] === ABSENT ? [] : [[name, values[i]] as const])),
        ...extra,
      ]),
    );
  return fc.oneof(
    { weight: 8, arbitrary: object },
    { weight: 2, arbitrary: junk },
    { weight: 1, arbitrary: object.map((o) => [o]) },
    { weight: 1, arbitrary: object.map((o) => objectWith([['__proto__', o]])) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** superjson metadata that lies: unknown or impossible types, paths to nowhere, references to nonsense. */
function badMeta(fields: readonly string[]): fc.Arbitrary<unknown> {
  const path = fc.oneof(
    fc.constantFrom(
      ...fields,
      '',
      '0',
      'a.b.c',
      'x.y.z',
      '__proto__',
      '__proto__.polluted',
      'constructor.prototype.polluted',
    ),
    fc.string({ maxLength: 10 }),
  );
  const annotation = fc.constantFrom<unknown>(
    ['bigint'],
    ['map'],
    ['set'],
    ['Date'],
    ['regexp'],
    ['Error'],
    ['URL'],
    ['number'],
    ['undefined'],
    ['symbol', 's'],
    ['class', 'Nope'],
    ['custom', 'nope'],
    ['typed-array', 'Int8Array'],
    ['typed-array', 'Nope'],
    ['nonsense'],
    [],
    [1],
    [['Date'], { x: ['Date'] }],
    ['Date', 'extra'],
    'Date',
    null,
    1,
    {},
  );
  const values = fc.oneof(fc.array(fc.tuple(path, annotation), { maxLength: 3 }).map(objectWith), annotation);
  const references = fc.oneof(
    fc.array(fc.tuple(path, fc.array(path, { maxLength: 2 })), { maxLength: 2 }).map(objectWith),
    fc.constantFrom<unknown>('x', ['x'], [['x']], [['a', 'b']], { a: 'b' }, null, [[]], [['__proto__.x']]),
  );
  return fc.oneof(
    { weight: 4, arbitrary: values.map((v) => ({ values: v })) },
    { weight: 2, arbitrary: references.map((r) => ({ referentialEqualities: r })) },
    { weight: 1, arbitrary: fc.record({ values, referentialEqualities: references }) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>('x', null, 1, [], { v: 1 }, { values: [['Date']] }) },
  );
}

function superjsonText(value: unknown): string {
  try {
    return JSON.stringify(superjson.serialize(value as never));
  } catch {
    return '{"json":"superjson would not write this"}';
  }
}

export interface FuzzedProcedure {
  path: string;
  type: string;
  fields: readonly string[];
}

/** The JSON text of one call's input: an envelope `{ json, meta }` that is wrong somewhere. */
export function envelopeText(
  { fields }: FuzzedProcedure,
  plausible: (field: string) => fc.Arbitrary<unknown>,
): fc.Arbitrary<string> {
  const plain = inputFor(fields, plausible, plainJunk);
  const json = (v: unknown) => (v === undefined ? '{}' : `{"json":${toJsonText(v)}}`);
  return fc.oneof(
    { weight: 5, arbitrary: plain.map(json) },
    { weight: 2, arbitrary: inputFor(fields, plausible, richJunk).map(superjsonText) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(plain, badMeta(fields))
        .map(([v, meta]) => `{"json":${toJsonText(v ?? null)},"meta":${toJsonText(meta)}}`),
    },
    { weight: 1, arbitrary: plain.map((v) => toJsonText(v ?? null)) }, // no envelope at all
    { weight: 1, arbitrary: plainJunk.map(toJsonText) },
  );
}

const brokenJsonText = fc.constantFrom(
  '',
  ' ',
  '{',
  '{"json":',
  '{"json":{,}}',
  "{'json':1}",
  '{"json":NaN}',
  '{"json":undefined}',
  '{"json":Infinity}',
  '{"json":-}',
  '{"json":01}',
  '{"json":1.}',
  '{"json":.5}',
  '{"json":"\\x41"}',
  '{"json":"\t"}',
  '{"json":"a\u0001"}',
  '[1,]',
  '{"a":1,}',
  'null null',
  '\ufeff{"json":{}}',
  'json',
  '<xml/>',
  '{"json":"\\u00"}',
  '{"json":"\\ud800"}',
  '{"json":"\\udc00\\ud800"}',
  `{"json":${'['.repeat(33)}${']'.repeat(33)}}`,
  `{"json":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`,
  `{"json":${'['.repeat(100_000)}`,
  '{"json":1e99999}',
  '{"json":{"a":1,"a":2}}',
  '"\\"',
  `{"json":{${Array.from({ length: 6_000 }, (_, i) => `"k${i}":0`).join(',')}}}`,
);

/** Any text at all, and text that is nearly JSON. */
export const junkText = fc.oneof(
  { weight: 3, arbitrary: brokenJsonText },
  { weight: 2, arbitrary: fc.string({ unit: codePoint, maxLength: 300 }) },
  { weight: 1, arbitrary: plainJunk.map(toJsonText) },
);

export const junkBytes = fc.uint8Array({ maxLength: 300 });

export const contentTypes = fc.constantFrom(
  undefined,
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'application/json;',
  'application/jsonl',
  'application/json, text/plain',
  '*/*',
  'application/xml',
);

/** Headers a client may add (to one request in ten); none may turn a refusal into anything else. */
export const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 9, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc
      .array(
        fc.constantFrom<[string, string]>(
          ['trpc-accept', 'application/jsonl'],
          ['accept', 'application/jsonl'],
          ['accept', 'text/event-stream'],
          ['cookie', 'session=%'],
          ['cookie', 'session=not.a.token'],
          ['cookie', 'session=; session=x'],
          ['x-request-id', 'a b c'],
          ['x-request-id', 'x'.repeat(200)],
          ['x-forwarded-proto', 'https'],
          ['x-http-method-override', 'POST'],
          ['last-event-id', '1'],
          ['trpc-batch-mode', 'stream'],
        ),
        { minLength: 1, maxLength: 2 },
      )
      .map((pairs) => Object.fromEntries(pairs)),
  },
);

/** Percent-encodes text the way a client would: its UTF-8 bytes, a lone surrogate as U+FFFD. */
export function queryEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).padStart(2, '0')}`,
    )
    .join('');
}

const oddQueries = fc.oneof(
  fc.constantFrom(
    'input=',
    'input',
    'input=%',
    'input=%zz',
    'input=%E0%A4%A',
    'input=%ED%A0%80',
    'input=%00',
    'input=%7B%22json%22%3A%7B%7D%7D&input=x',
    'batch=1',
    'batch=1&input=%5B%5D',
    'batch=1&input=%7B%220%22%3Anull%7D',
    'batch=0&input=1',
    'batch=true',
    'connectionParams=x',
    'connectionParams=%7B%22a%22%3A1%7D',
    `input=${'A'.repeat(10_000)}`,
  ),
  junkText.map((text) => `input=${queryEncode(text)}`),
  fc.string({ maxLength: 60 }).map((text) => `input=${text}`),
);

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

function request(method: string, target: string, body?: Uint8Array, contentType?: string): Probe {
  return { method, target, headers: contentType ? { 'content-type': contentType } : {}, body };
}

/** A call of the right method: a query's input in ?input=, a mutation's in a JSON body. */
function viaMethod(method: string, target: string, text: string): Probe {
  if (method === 'GET') return request('GET', `${target}?input=${queryEncode(text)}`);
  return request(method, target, utf8(text), 'application/json');
}

/** Malformed single calls of one procedure, over every way a request can be wrong. */
export function callProbes(
  procedure: FuzzedProcedure,
  plausible: (field: string) => fc.Arbitrary<unknown>,
): fc.Arbitrary<Probe> {
  const target = `/api/trpc/${procedure.path}`;
  const right = procedure.type === 'query' ? 'GET' : 'POST';
  const wrong = right === 'GET' ? 'POST' : 'GET';
  const text = envelopeText(procedure, plausible);
  return fc.oneof(
    { weight: 10, arbitrary: text.map((t) => viaMethod(right, target, t)) },
    { weight: 1, arbitrary: text.map((t) => viaMethod(wrong, target, t)) },
    {
      weight: 1,
      arbitrary: fc.tuple(text, contentTypes).map(([t, type]) => request('POST', target, utf8(t), type)),
    },
    { weight: 3, arbitrary: junkText.map((t) => viaMethod(right, target, t)) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(junkBytes, contentTypes)
        .map(([bytes, type]) => request('POST', target, bytes, type)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'), text)
        .map(([method, t]) =>
          method === 'HEAD' ? request(method, target) : request(method, target, utf8(t), 'application/json'),
        ),
    },
    { weight: 2, arbitrary: oddQueries.map((query) => request('GET', `${target}?${query}`)) },
  );
}

/** Path segments of a batch that name nothing, or name it oddly. */
export const oddPaths = fc.constantFrom(
  '',
  'wallet',
  'wallet.',
  '.wallet.get',
  'wallet..get',
  'wallet.steal',
  'WALLET.GET',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'auth.__proto__',
  '_def',
  '%00',
  '%',
  '%zz',
  '%E0%A4%A',
  '%2C',
  'wallet.get%00',
  'wallet.get%2Cwallet.get',
  '%20wallet.get',
  '한글',
  '%F0%9F%98%80',
  'a'.repeat(2_000),
);

const stringFieldJunk = fc.oneof(
  numberJunk,
  fc.constantFrom<unknown>(null, true, false, [], {}, ['x'], { orderId: 'x' }, nestedArray(5)),
);

const tossOrderId = fc.stringMatching(/^fuzz-[a-z0-9]{6,20}$/);

/** A genuine-looking PAYMENT_STATUS_CHANGED payload (for an order nobody has). */
const tossPayload = fc.record({
  eventType: fc.constantFrom('PAYMENT_STATUS_CHANGED', 'DEPOSIT_CALLBACK', 'CANCEL_STATUS_CHANGED'),
  createdAt: fc.constant('2026-01-01T00:00:00.000000'),
  data: fc.record({
    orderId: tossOrderId,
    paymentKey: fc.stringMatching(/^tfuzz[a-z0-9]{10}$/),
    status: fc.constantFrom('DONE', 'CANCELED', 'ABORTED'),
  }),
});

/** What makes a webhook payload malformed: one defect applied to a genuine-looking one. */
const webhookDefect: fc.Arbitrary<(payload: Record<string, unknown>) => unknown> = fc.oneof(
  fc.tuple(fc.constantFrom('eventType', 'orderId', 'status'), stringFieldJunk).map(
    ([field, value]) =>
      (p: Record<string, unknown>) =>
        objectWith([...Object.entries(p), [field, value]]),
  ),
  fc
    .constantFrom<unknown>([], ['x'], 'data', 1, true, null, new RawJson('-0'))
    .map((value) => (p: Record<string, unknown>) => ({ ...p, data: value })),
  fc
    .tuple(fc.constantFrom('orderId', 'paymentKey'), stringFieldJunk)
    .map(([field, value]) => (p: Record<string, unknown>) => ({
      ...p,
      data: { ...(p.data as object), [field]: value },
    })),
  fc
    .constantFrom<unknown>(
      'a\u0000b',
      new RawJson('"a\u0000b"'),
      '\ud800',
      new RawJson('"\\udfff"'),
      nestedArray(40),
      nestedObject(33),
    )
    .map((value) => (p: Record<string, unknown>) => ({
      ...p,
      data: { ...(p.data as object), extra: value },
    })),
  fc.constant((p: Record<string, unknown>) => objectWith([...Object.entries(p), ['a\u0000', 1]])),
  fc.constantFrom<unknown>(null, 1, 'x', [], [{}], true).map((value) => () => value),
);

/** Payloads that are odd but well formed: recorded (answered 200) and acted on as a hint only. */
const oddButValidPayload = fc
  .tuple(
    tossPayload,
    fc.array(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'x'), plainJunk), { maxLength: 2 }),
  )
  .map(([payload, extra]) => ({ ...payload, data: objectWith([...Object.entries(payload.data), ...extra]) }))
  .map((payload) => toJsonText(payload));

/** Requests to the webhook receiver: mostly malformed payloads, bad text and bytes, odd methods. */
export const webhookProbes: fc.Arbitrary<Probe> = fc
  .record({
    method: fc.constantFrom('POST', 'POST', 'POST', 'POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE'),
    contentType: fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, contentTypes),
    transmissionId: fc.option(fc.string({ unit: char(0x21, 0x7e), maxLength: 300 }), { freq: 2 }),
    body: fc.oneof(
      {
        weight: 8,
        arbitrary: fc.tuple(tossPayload, webhookDefect).map(([p, defect]) => utf8(toJsonText(defect(p)))),
      },
      { weight: 2, arbitrary: junkText.map(utf8) },
      { weight: 1, arbitrary: junkBytes },
      { weight: 1, arbitrary: oddButValidPayload.map(utf8) },
    ),
  })
  .map(({ method, contentType, transmissionId, body }) => ({
    method,
    target: '/api/webhooks/toss',
    headers: {
      ...(contentType ? { 'content-type': contentType } : {}),
      ...(transmissionId ? { 'tosspayments-webhook-transmission-id': transmissionId } : {}),
    },
    body: method === 'GET' ? undefined : body,
  }));
