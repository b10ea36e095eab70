/**
 * A sliding-window limit per connection and over all connections together: a token holder on
 * the headless host must not turn an operation that reaches out (server/check opens a
 * connection to any host and port) into a scanner of the network.
 */
import { StrataError } from '../../../shared/errors';

export class RateLimit {
  private readonly perSession = new WeakMap<object, number[]>();
  private readonly all: number[] = [];

  constructor(
    private readonly perSessionLimit: number | null,
    private readonly totalLimit: number | null,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one call, or refuses it with `busy` saying when the next one is allowed. */
  take(session: object, what: string): void {
    const now = this.now();
    const mine = this.perSession.get(session) ?? [];
    this.perSession.set(session, mine);
    for (const list of [mine, this.all]) while (list.length > 0 && (list[0] ?? 0) <= now - this.windowMs) list.shift();
    const full = (list: number[], limit: number | null): boolean => limit !== null && list.length >= limit;
    const blocking = full(mine, this.perSessionLimit) ? mine : full(this.all, this.totalLimit) ? this.all : null;
    if (blocking) {
      const waitMs = (blocking[0] ?? now) + this.windowMs - now;
      const limit = blocking === mine ? `${this.perSessionLimit} per connection` : `${this.totalLimit} over all connections`;
      throw new StrataError('busy', `Too many ${what}: this host allows ${limit} per ${Math.round(this.windowMs / 1000)} s. Try again in ${Math.ceil(waitMs / 1000)} s.`, { retryAfterMs: waitMs });
    }
    mine.push(now);
    this.all.push(now);
  }
}
