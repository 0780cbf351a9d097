// `npm run service-key -- create --name NAME --scopes a,b [--json]`, `list`, `revoke KEY_ID`,
// `rotate KEY_ID [--overlap-hours N]`: the keys other services sign their requests with. A secret is
// printed once, when it is made or rotated, and never again. Needs SERVICE_KEY_ENCRYPTION_KEY.
import { parseArgs } from 'node:util';
import { parseSealingKey, SEALING_KEY_MISSING } from '../../building-blocks/crypto/secret-box';
import { createDb } from '../../building-blocks/db/client';
import { DomainError } from '../../building-blocks/errors/domain-error';
import { parseScopes, SERVICE_SCOPES } from '../../building-blocks/service-auth/scopes';
import {
  createServiceKey,
  DEFAULT_OVERLAP_HOURS,
  listServiceKeys,
  revokeServiceKey,
  rotateServiceKey,
} from '../../use-cases/service/service-keys';
import { prepareEnvironment, resolveDatabase } from './prepare-database';

const USAGE = `usage:
  npm run service-key -- create --name NAME --scopes SCOPE,SCOPE [--json]
        a new key; its id and secret are printed once (--json: { "keyId", "secret", "scopes" };
        run it as npm run -s ... so that npm's banner stays off standard output)
  npm run service-key -- list                       every key, without secrets
  npm run service-key -- revoke KEY_ID              refused from its next request on
  npm run service-key -- rotate KEY_ID [--overlap-hours N]
        a new secret, printed once; the old one keeps working for N hours (default ${DEFAULT_OVERLAP_HOURS})
scopes: ${SERVICE_SCOPES.join(', ')}`;

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        scopes: { type: 'string' },
        json: { type: 'boolean', default: false },
        'overlap-hours': { type: 'string' },
      },
    });
  } catch (error) {
    return fail(`service-key: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
})();
const [command, keyId] = positionals;

if (command === 'create') {
  if (!values.name?.trim()) fail(`service-key: create needs --name NAME\n${USAGE}`);
  if (values.name.trim().length > 100) fail('service-key: --name is at most 100 characters');
  if (!values.scopes) fail(`service-key: create needs --scopes SCOPE,SCOPE\n${USAGE}`);
} else if (command === 'revoke' || command === 'rotate') {
  if (!keyId) fail(`service-key: ${command} needs KEY_ID\n${USAGE}`);
} else if (command !== 'list') {
  fail(USAGE);
}
const scopes = command === 'create' ? parseScopes(values.scopes ?? '') : null;
if (scopes && !scopes.ok) fail(`service-key: ${scopes.error}`);
const overlapText = values['overlap-hours'];
const overlapHours = overlapText === undefined ? DEFAULT_OVERLAP_HOURS : Number(overlapText);
if (!(Number.isFinite(overlapHours) && overlapHours >= 0 && overlapHours <= 24 * 30)) {
  fail('service-key: --overlap-hours is a number of hours from 0 to 720');
}

await prepareEnvironment();
// Read on its own (not the app's whole environment check): this CLI needs only it and the database.
const keyText = process.env.SERVICE_KEY_ENCRYPTION_KEY?.trim();
const key = (() => {
  if (!keyText) return command === 'list' ? null : fail(`service-key: ${SEALING_KEY_MISSING}`, 1);
  try {
    return parseSealingKey(keyText);
  } catch (error) {
    return fail(`service-key: SERVICE_KEY_ENCRYPTION_KEY ${error instanceof Error ? error.message : ''}`, 1);
  }
})();
const database = await resolveDatabase((line) => console.error(line));
const db = createDb(database.databaseUrl, 2);
try {
  if (command === 'list') {
    const keys = await listServiceKeys(db);
    if (keys.length === 0)
      console.log('no service keys yet: npm run service-key -- create --name NAME --scopes ...');
    for (const k of keys) {
      const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
      const overlap = k.previousValidUntil
        ? `\tprevious secret valid until ${k.previousValidUntil.toISOString()}`
        : '';
      const used = k.lastUsedAt ? `last used ${k.lastUsedAt.toISOString()}` : 'never used';
      console.log(`${k.keyId}\t${k.name}\t${k.scopes.join(',')}\t${state}\t${used}${overlap}`);
    }
  } else if (command === 'create' && scopes?.ok) {
    const created = await createServiceKey(db, key, { name: values.name ?? '', scopes: scopes.scopes });
    if (values.json) {
      console.log(JSON.stringify({ keyId: created.keyId, secret: created.secret, scopes: created.scopes }));
    } else {
      console.log(`key id:  ${created.keyId}`);
      console.log(`secret:  ${created.secret}`);
      console.log(`scopes:  ${created.scopes.join(', ')}`);
      console.log('Keep the secret now: it is not shown again (rotate the key to get a new one).');
    }
  } else if (command === 'revoke') {
    const revoked = await revokeServiceKey(db, keyId as string);
    console.log(`${revoked.keyId} (${revoked.name}) is revoked: its requests are refused from now on.`);
  } else if (command === 'rotate') {
    const rotated = await rotateServiceKey(db, key, keyId as string, overlapHours);
    if (values.json) {
      console.log(
        JSON.stringify({
          keyId: rotated.keyId,
          secret: rotated.secret,
          previousValidUntil: rotated.previousValidUntil.toISOString(),
        }),
      );
    } else {
      console.log(`key id:      ${rotated.keyId}`);
      console.log(`new secret:  ${rotated.secret}`);
      console.log(`The old secret keeps working until ${rotated.previousValidUntil.toISOString()}.`);
      console.log('Keep the new secret now: it is not shown again.');
    }
  }
} catch (error) {
  const message =
    error instanceof DomainError &&
    (error.reason === 'SERVICE_KEY_UNKNOWN' || error.reason === 'SERVICE_KEY_REVOKED')
      ? `no active key ${keyId}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
  console.error(`service-key: ${message}`);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
  await database.stop();
}
