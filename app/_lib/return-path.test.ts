import { describe, expect, it } from 'vitest';
import { returnPath, signInReturningTo } from './return-path';

describe('the path to come back to after signing in', () => {
  it('is a path on this site, never another host', () => {
    expect(returnPath('/checkout?intent=abc.def')).toBe('/checkout?intent=abc.def');
    for (const elsewhere of [
      '//evil.example',
      '/\\evil.example',
      'https://evil.example',
      'javascript:x',
      '',
    ]) {
      expect(returnPath(elsewhere)).toBeNull();
    }
    expect(returnPath('/a\nb')).toBeNull();
    expect(returnPath(['/a', '/b'])).toBeNull();
    expect(returnPath(undefined)).toBeNull();
  });

  it('survives the round trip through the sign-in URL', () => {
    const path = '/checkout?intent=eyJ2IjoxfQ.abc_-';
    const url = new URL(signInReturningTo(path), 'http://localhost');
    expect(returnPath(url.searchParams.get('next') ?? undefined)).toBe(path);
  });
});
