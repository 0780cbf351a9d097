import { LIMITS } from '../entry-points/http/api';
import { checkJsonText } from '../entry-points/http/request-body';
import { TRPC_ENDPOINT } from '../entry-points/trpc/http-handler';
import { appRouter } from '../entry-points/trpc/router';
import { transformer } from '../entry-points/trpc/transformer';

/**
 * What the fuzz test (server/entry-points/http/fuzz.test.ts) expects of an answer, worked out from the request alone:
 * a mirror of how the edge (server/entry-points/http/api.ts) and tRPC's fetch adapter read a request, down to the
 * procedure's own input schema. Its one job is to tell a malformed call (which must be refused) from
 * one the procedure would accept (which the generators drop, so that no fuzz call may write). If it
 * ever calls a valid call malformed, the fuzz test's row counts say so.
 */

/** Text that only our internals write: stack frames, runtime, parser and database errors, paths. */
export const INTERNAL_TEXT =
  /\bat .*\(.*:\d+:\d+\)|Maximum call stack|prisma|postgres|invalid byte sequence|TypeError|ReferenceError|RangeError|SyntaxError|node_modules|ECONN|stack|is not a function|is not iterable|Cannot read propert|Cannot convert|Unexpected token|Unexpected end of JSON|in JSON at position|is not valid JSON|Unknown transformation|not allowed as a property|\.ts:\d+|\/work\//i;

export interface Probe {
  method: string;
  /** Path and query, e.g. `/api/trpc/wallet.get?input=...`. */
  target: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

interface Procedure {
  _def: { type: 'query' | 'mutation' | 'subscription'; inputs: unknown[] };
}

/** Every procedure of the app, by path: a procedure added to the router is fuzzed without more code. */
export const procedures = appRouter._def.procedures as unknown as Record<string, Procedure>;
export const procedurePaths = Object.keys(procedures);

/** The field names an input schema reads (zod 4), for building inputs that are almost right. */
export function inputFields(path: string): string[] {
  const fields = new Set<string>();
  const visit = (schema: unknown) => {
    const def = (schema as { _zod?: { def?: Record<string, unknown> } } | undefined)?._zod?.def;
    if (!def) return;
    if (def.type === 'object') for (const key of Object.keys(def.shape as object)) fields.add(key);
    else if (def.type === 'union') for (const option of def.options as unknown[]) visit(option);
    else if (def.type === 'pipe') visit(def.in);
    else if ('innerType' in def) visit(def.innerType); // default, optional, nullable, readonly, ...
  };
  for (const schema of procedures[path]?._def.inputs ?? []) visit(schema);
  return [...fields];
}

/**
 * One call's expected outcome: `refused` (an error answer), `either` (a procedure without input, which
 * ignores what it is sent and may run), or `accepted` (the procedure's schema takes it: never sent).
 */
export type CallExpectation = 'refused' | 'either' | 'accepted';

export interface Expectation {
  batch: boolean;
  /** The procedure path of each call, as tRPC reads it. */
  paths: string[];
  /** `trpc-accept: application/jsonl` on a batch: answered as a stream, always 200. */
  stream: boolean;
  calls: CallExpectation[];
}

const header = (probe: Probe, name: string) =>
  Object.entries(probe.headers).find(([key]) => key.toLowerCase() === name)?.[1];

const trimSlashes = (path: string) => path.replace(/^\//, '').replace(/\/$/, '');

/** A body as fetch's `text()` and `json()` read it: UTF-8, a leading byte-order mark dropped. */
const bodyText = (body: Uint8Array) => new TextDecoder().decode(body);

const isObject = (value: unknown): value is Record<string, unknown> =>
  !!value && !Array.isArray(value) && typeof value === 'object';

function accepts(procedure: Procedure, input: unknown): boolean {
  for (const parser of procedure._def.inputs) {
    const standard = (parser as { '~standard': { validate: (v: unknown) => unknown } })['~standard'];
    const result = standard.validate(input);
    if (result instanceof Promise) return true; // cannot tell here: counted as accepted, so never sent
    if ((result as { issues?: unknown }).issues) return false;
  }
  return true;
}

export function expectationOf(probe: Probe): Expectation {
  const url = new URL(probe.target, 'http://127.0.0.1');
  const method = probe.method.toUpperCase();
  const batch = url.searchParams.get('batch') === '1';
  const accept = header(probe, 'trpc-accept') ?? header(probe, 'accept') ?? '';
  const stream = batch && accept.split(',').some((type) => type.trim() === 'application/jsonl');
  const refuseAll = (count: number): Expectation => ({
    batch,
    stream,
    paths: [],
    calls: Array<CallExpectation>(count).fill('refused'),
  });
  if (url.pathname !== TRPC_ENDPOINT && !url.pathname.startsWith(`${TRPC_ENDPOINT}/`)) return refuseAll(1);

  // The edge: batch cap, then the JSON text check of ?input= and of the body, and the body limit.
  const edgeCalls = batch ? url.pathname.slice(TRPC_ENDPOINT.length + 1).split(',').length : 1;
  if (edgeCalls > LIMITS.trpcBatch) return refuseAll(edgeCalls);
  const query = url.searchParams.get('input');
  if (query !== null && checkJsonText(query)) return refuseAll(edgeCalls);
  let text = '';
  if (method !== 'GET' && method !== 'HEAD') {
    const body = probe.body ?? new Uint8Array();
    if (body.length > LIMITS.trpcBody) return refuseAll(edgeCalls);
    if (checkJsonText(Buffer.from(body).toString('utf8'))) return refuseAll(edgeCalls);
    text = bodyText(body);
  }
  if (method === 'HEAD') return refuseAll(edgeCalls); // 204, and nothing runs

  // tRPC: the path, the content-type handler, then each call.
  let path: string;
  try {
    path = decodeURIComponent(trimSlashes(trimSlashes(url.pathname).slice(TRPC_ENDPOINT.length - 1)));
  } catch {
    return refuseAll(edgeCalls);
  }
  const contentType = header(probe, 'content-type')?.toLowerCase().split(';', 1)[0]?.trim();
  if (contentType === 'multipart/form-data' || contentType === 'application/octet-stream') {
    // One call, a mutation, whose input is a FormData or a stream: no object schema of ours takes it.
    const procedure = procedures[path];
    if (method !== 'POST' || !procedure || procedure._def.type !== 'mutation') return refuseAll(1);
    return {
      batch: false,
      stream: false,
      paths: [path],
      calls: [procedure._def.inputs.length ? 'refused' : 'either'],
    };
  }
  if (contentType !== 'application/json' && method !== 'GET') return refuseAll(edgeCalls);

  const paths = batch ? path.split(',') : [path];
  if (batch && paths.length > LIMITS.trpcBatch) return refuseAll(paths.length);
  const found = paths.map((p) => procedures[p]);
  if (new Set(found.filter(Boolean).map((p) => p?._def.type)).size > 1) return refuseAll(paths.length);
  if (accept.split(',').some((type) => type.trim() === 'application/jsonl') && !batch) return refuseAll(1);

  // Read as tRPC reads it, through our transformer: its meta check refuses what raw superjson.deserialize
  // would recurse on until the stack overflows (a string where a tree belongs), which in this process
  // cost up to tens of milliseconds and megabytes of garbage a call and made the whole file 4x slower.
  const deserialize = transformer.input.deserialize;
  let inputs: unknown[] | null;
  try {
    const raw: unknown = method === 'GET' ? (query ? JSON.parse(query) : undefined) : JSON.parse(text);
    if (raw === undefined) inputs = paths.map(() => undefined);
    else if (!batch) inputs = [deserialize(raw)];
    else if (!isObject(raw)) inputs = null;
    else inputs = paths.map((_, i) => (raw[i] === undefined ? undefined : deserialize(raw[i])));
  } catch {
    inputs = null; // unreadable: every call that reads its input is refused
  }
  const calls = found.map((procedure, i): CallExpectation => {
    if (!procedure) return 'refused';
    if (procedure._def.type !== (method === 'GET' ? 'query' : 'mutation')) return 'refused';
    if (procedure._def.inputs.length === 0) return 'either';
    if (!inputs) return 'refused';
    return accepts(procedure, inputs[i]) ? 'accepted' : 'refused';
  });
  return { batch, stream, paths, calls };
}

const optionalStrings = (object: Record<string, unknown>, keys: string[]) =>
  keys.every((key) => object[key] === undefined || typeof object[key] === 'string');

/** Whether the webhook receiver records this request (200): a POST of a well-formed Toss payload. */
export function webhookAccepted(probe: Probe): boolean {
  if (probe.method !== 'POST') return false;
  const body = probe.body ?? new Uint8Array();
  if (body.length > LIMITS.webhookBody) return false;
  if (checkJsonText(Buffer.from(body).toString('utf8'))) return false;
  const text = bodyText(body);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return false;
  }
  if (text.includes('\\u0000') || !isObject(json)) return false;
  if (!optionalStrings(json, ['eventType', 'orderId', 'status'])) return false;
  return (
    json.data === undefined || (isObject(json.data) && optionalStrings(json.data, ['orderId', 'paymentKey']))
  );
}
