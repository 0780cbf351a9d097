import { isIP } from 'node:net';
import { DomainError } from '../../building-blocks/errors/domain-error';

/**
 * Where we may send events. Always http(s) with a host. In live mode also https only and no host that is
 * obviously internal (localhost, loopback, private, link-local or unique-local addresses), so an endpoint
 * cannot point our server at its own network (SSRF). A public name that resolves to a private address is
 * not caught here (that needs a check at connection time); see the README.
 */
export function checkEndpointUrl(text: string, mode: 'live' | 'sandbox'): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DomainError('WEBHOOK_URL_REFUSED');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DomainError('WEBHOOK_URL_REFUSED');
  if (url.username || url.password) throw new DomainError('WEBHOOK_URL_REFUSED');
  if (mode === 'live' && (url.protocol !== 'https:' || isInternalHost(url.hostname)))
    throw new DomainError('WEBHOOK_URL_REFUSED');
  return url.toString();
}

function isInternalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.internal') ||
    host.endsWith('.local')
  )
    return true;
  const version = isIP(host);
  if (version === 4) {
    const [a = 0, b = 0] = host.split('.').map(Number);
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168)
    );
  }
  if (version === 6) {
    return (
      host === '::' ||
      host === '::1' ||
      host.startsWith('fc') ||
      host.startsWith('fd') ||
      host.startsWith('fe80') ||
      host.startsWith('::ffff:')
    );
  }
  return false;
}
