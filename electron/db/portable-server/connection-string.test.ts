import { describe, expect, it } from 'vitest';
import { connectionString, maskedConnectionString } from './connection-string';

describe('connection strings', () => {
  const parts = { host: '127.0.0.1', port: 5433, user: 'strata', password: 'a/b@c:d', database: 'strata' };

  it('escapes the password so any generated one parses back', () => {
    const url = new URL(connectionString(parts));
    expect(decodeURIComponent(url.password)).toBe('a/b@c:d');
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.port).toBe('5433');
    expect(url.pathname).toBe('/strata');
  });

  it('masks the password for display', () => {
    const shown = maskedConnectionString(parts);
    expect(shown).toBe('postgres://strata:********@127.0.0.1:5433/strata');
    expect(shown).not.toContain('a%2Fb');
  });
});
