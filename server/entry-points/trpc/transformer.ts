import superjson from 'superjson';
import { z } from 'zod';

/**
 * superjson both ways, but input metadata is checked for shape before superjson reads it. superjson
 * trusts its `meta`: a string where it expects a tree makes it recurse until the stack overflows, which
 * costs milliseconds of CPU per call and is anyone's to send. Our inputs only ever need the simple
 * annotations (an `undefined` field, a Date), so nothing else is accepted.
 */
const annotation = z.enum(['undefined', 'Date', 'number', 'bigint']);
type Tree = [string] | [string, Record<string, Tree>];
const tree: z.ZodType<Tree> = z.lazy(() =>
  z.union([z.tuple([annotation]), z.tuple([annotation, z.record(z.string(), tree)])]),
);
const paths = z.array(z.string());
const metaSchema = z
  .object({
    values: z.union([tree, z.record(z.string(), tree)]).optional(),
    referentialEqualities: z
      .union([z.record(z.string(), paths), z.tuple([paths]), z.tuple([paths, z.record(z.string(), paths)])])
      .optional(),
    v: z.number().optional(),
  })
  .strict();

function deserializeInput(payload: unknown) {
  const meta = (payload as { meta?: unknown } | null)?.meta;
  if (meta !== undefined && !metaSchema.safeParse(meta).success) {
    // tRPC refuses it as unreadable input (BAD_REQUEST, worded plainly in server/entry-points/trpc/init.ts).
    throw new Error('superjson metadata of an unexpected shape');
  }
  return superjson.deserialize(payload as Parameters<typeof superjson.deserialize>[0]);
}

export const transformer = {
  input: { serialize: (value: unknown) => superjson.serialize(value), deserialize: deserializeInput },
  output: {
    serialize: (value: unknown) => superjson.serialize(value),
    deserialize: (value: unknown) =>
      superjson.deserialize(value as Parameters<typeof superjson.deserialize>[0]),
  },
};
