import type { IncomingMessage } from 'node:http';

/** Why a request body was refused before any handler saw it; `status` is the HTTP answer. */
export class BodyRefused extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads a request body of at most `limit` bytes. A declared Content-Length over the limit is refused
 * before a byte is read; a streamed body is cut off (and refused) as soon as it passes the limit, so
 * nothing larger is ever held in memory or stored.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number) {
  return new BodyRefused(413, `The request body is larger than ${Math.floor(limit / 1024)} KB.`);
}

const MAX_DEPTH = 32;

/**
 * Refuses JSON text that no genuine caller sends and that would otherwise fail deep inside: nesting
 * deeper than 32 (recursive parsers and validators run out of stack), NUL characters (PostgreSQL cannot
 * store them) and lone UTF-16 surrogates (they would be stored as U+FFFD, so two different request ids
 * could become one key). It scans the text once, without parsing it.
 */
export function checkJsonText(text: string): string | null {
  if (text.includes('\0')) return 'The request contains a NUL character.';
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) {
        const next = text[i + 1];
        if (next === 'u') {
          const unit = Number.parseInt(text.slice(i + 2, i + 6), 16);
          if (unit === 0) return 'The request contains a NUL character.';
          if (unit >= 0xd800 && unit <= 0xdbff) {
            const low =
              text.slice(i + 6, i + 8) === '\\u' ? Number.parseInt(text.slice(i + 8, i + 12), 16) : -1;
            if (!(low >= 0xdc00 && low <= 0xdfff)) return LONE_SURROGATE;
            i += 11;
            continue;
          }
          if (unit >= 0xdc00 && unit <= 0xdfff) return LONE_SURROGATE;
          i += 5;
        } else {
          i += 1;
        }
      } else if (c === 0x22 /* " */) {
        inString = false;
      } else if (c >= 0xd800 && c <= 0xdfff) {
        const pair = c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
        if (!pair) return LONE_SURROGATE;
        i += 1;
      }
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth += 1;
      if (depth > MAX_DEPTH) return `The request is nested deeper than ${MAX_DEPTH} levels.`;
    } else if (c === 0x7d || c === 0x5d) {
      depth -= 1;
    }
  }
  return null;
}

const LONE_SURROGATE = 'The request contains malformed Unicode (a lone UTF-16 surrogate).';
