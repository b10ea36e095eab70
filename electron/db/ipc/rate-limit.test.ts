/** The sliding window behind server/check on the confined host, on a clock the test moves. */
import { describe, expect, it } from 'vitest';
import { isStrataError } from '../../../shared/errors';
import { RateLimit } from './rate-limit';

const refused = (f: () => void): string => {
  try {
    f();
  } catch (error) {
    if (isStrataError(error, 'busy')) return error.message;
    throw error;
  }
  return 'allowed';
};

describe('RateLimit', () => {
  it('allows a few per connection per window, then says when the next is allowed', () => {
    let now = 1_000_000;
    const limit = new RateLimit(3, 10, 60_000, () => now);
    const a = {};
    for (let i = 0; i < 3; i++) {
      expect(refused(() => limit.take(a, 'server checks'))).toBe('allowed');
      now += 1000;
    }
    expect(refused(() => limit.take(a, 'server checks'))).toMatch(/3 per connection per 60 s\. Try again in 57 s/u);
    now += 57_000;
    expect(refused(() => limit.take(a, 'server checks'))).toBe('allowed');
  });

  it('bounds all connections together, so opening more connections does not help', () => {
    const now = 5_000;
    const limit = new RateLimit(3, 5, 60_000, () => now);
    const sessions = [{}, {}, {}];
    const outcomes = sessions.flatMap((s) => [0, 1, 2].map(() => refused(() => limit.take(s, 'server checks'))));
    expect(outcomes.filter((o) => o === 'allowed')).toHaveLength(5);
    expect(outcomes.at(-1)).toMatch(/5 over all connections/u);
  });

  it('with no limits (the app) never refuses', () => {
    const limit = new RateLimit(null, null, 60_000);
    const s = {};
    for (let i = 0; i < 100; i++) expect(refused(() => limit.take(s, 'server checks'))).toBe('allowed');
  });
});
