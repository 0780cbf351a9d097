/**
 * What a service key may do. Each service procedure names the one scope it needs (its tRPC meta); a key
 * holds any of them. The migration's CHECK (service_key_scopes_known) lists the same ones.
 */
export const SERVICE_SCOPES = [
  'orders:write',
  'orders:read',
  'refunds:write',
  'wallet:read',
  'catalogue:write',
  'webhooks:write',
] as const;

export type ServiceScope = (typeof SERVICE_SCOPES)[number];

export function isServiceScope(value: string): value is ServiceScope {
  return (SERVICE_SCOPES as readonly string[]).includes(value);
}

/**
 * `orders:write,orders:read` as scopes: at least one, each known, no repeats kept; or what is wrong,
 * in words for an operator.
 */
export function parseScopes(
  text: string,
): { ok: true; scopes: ServiceScope[] } | { ok: false; error: string } {
  const given = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (given.length === 0)
    return { ok: false, error: `name at least one scope: ${SERVICE_SCOPES.join(', ')}` };
  const unknown = given.filter((s) => !isServiceScope(s));
  if (unknown.length > 0) {
    return {
      ok: false,
      error: `unknown scope ${unknown.join(', ')}; the scopes are ${SERVICE_SCOPES.join(', ')}`,
    };
  }
  return { ok: true, scopes: [...new Set(given as ServiceScope[])] };
}
