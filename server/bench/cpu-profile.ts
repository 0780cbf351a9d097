import { readFile } from 'node:fs/promises';

/**
 * Where an app process spends its CPU: a V8 profile (`node --cpu-prof`) summed by owner. Each sample is
 * charged to the nearest frame on its stack that belongs to a known owner, so time spent in Node's own
 * internals (streams, sockets, promises) counts for whoever called them: a socket write issued by the
 * PostgreSQL driver is the driver's, a body read by our HTTP edge is our code's.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface OwnerShare {
  owner: string;
  share: number;
}

const OWNERS: [RegExp, string][] = [
  [/node_modules\/(pg|pg-pool|pg-protocol|pg-types)\//, 'PostgreSQL driver (pg)'],
  [/node_modules\/@prisma\//, 'Prisma client'],
  [/node_modules\/@trpc\//, 'tRPC'],
  [/node_modules\/(superjson|zod|jose|pino|sonic-boom)\//, 'zod, superjson, jose, pino'],
  [/node_modules\/next\//, 'Next.js server (pages)'],
  [/\.next\/server\//, 'Next.js page bundle'],
  [/\/server\/(?:[^/]+\/)+[^/]+\.ts/, 'our code (server/)'],
];

function ownerOf(url: string): string | null {
  for (const [pattern, owner] of OWNERS) if (pattern.test(url)) return owner;
  return null;
}

const SPECIAL = new Map([
  ['(garbage collector)', 'garbage collection'],
  ['(idle)', 'idle'],
  ['(program)', 'V8 / native, unattributed'],
]);

export function summariseCpuProfile(profile: CpuProfile): OwnerShare[] {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const totals = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const time = profile.timeDeltas[i] ?? 0;
    total += time;
    const leaf = nodes.get(id);
    let owner = leaf ? (SPECIAL.get(leaf.callFrame.functionName) ?? null) : null;
    for (let cur: number | undefined = id; !owner && cur !== undefined; cur = parent.get(cur)) {
      owner = ownerOf(nodes.get(cur)?.callFrame.url ?? '');
    }
    owner ??= 'Node.js internals, no caller of ours';
    totals.set(owner, (totals.get(owner) ?? 0) + time);
  });
  return [...totals]
    .map(([owner, time]) => ({ owner, share: total ? time / total : 0 }))
    .sort((a, b) => b.share - a.share);
}

export async function readCpuProfile(file: string): Promise<CpuProfile> {
  return JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
}
