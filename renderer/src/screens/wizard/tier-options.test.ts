import { describe, expect, it } from 'vitest';
import { availability, connectionStringProblem, describeStore, initialOption, nextTierUp, recommendedOption, requestFor, type AvailabilityInput } from './tier-options';

const base: AvailabilityInput = { store: { engine: 'sqlite', server: null }, moving: false, portableServerAvailable: true, recommendation: null };

describe('tier options', () => {
  it('marks the current tier and disables it, except sharded (re-shard) and an existing server (another one)', () => {
    expect(availability('sqlite', base)).toEqual({ current: true, recommended: false, disabledReason: 'The catalog is here now.' });
    const sharded = { ...base, store: { engine: 'sharded' as const, server: null } };
    expect(availability('sharded', sharded)).toMatchObject({ current: true, disabledReason: null });
    const existing = { ...base, store: { engine: 'postgres' as const, server: 'existing' as const } };
    expect(availability('existing', existing)).toMatchObject({ current: true, disabledReason: null });
    expect(availability('portable', existing)).toMatchObject({ current: false, disabledReason: null });
  });

  it('disables the bundled server when it is not installed, and everything during a move', () => {
    expect(availability('portable', { ...base, portableServerAvailable: false }).disabledReason).toMatch(/not part of this installation/u);
    expect(availability('pglite', { ...base, moving: true }).disabledReason).toMatch(/move is running/u);
  });

  it('preselects the planner’s recommendation, else the first option that can be chosen', () => {
    const rec = { ...base, recommendation: { action: 'move' as const, target: { engine: 'sharded' as const, shards: 4 } } };
    expect(initialOption(rec)).toBe('sharded');
    expect(availability('sharded', rec).recommended).toBe(true);
    expect(initialOption(base)).toBe('sharded');
    expect(recommendedOption({ portableServerAvailable: false, recommendation: { action: 'move', target: { engine: 'postgres' } } })).toBe('existing');
    expect(recommendedOption({ portableServerAvailable: true, recommendation: { action: 'stay', target: null } })).toBeNull();
  });

  it('when the planner says stay, preselects the next tier up, never a downgrade or a re-shard', () => {
    const stay = { action: 'stay' as const, target: null };
    const at = (engine: 'sqlite' | 'sharded' | 'pglite' | 'postgres', server: 'portable' | 'existing' | null = null, portable = false): AvailabilityInput => ({
      ...base,
      store: { engine, server },
      portableServerAvailable: portable,
      recommendation: stay,
    });
    expect(initialOption(at('sqlite'))).toBe('sharded');
    // Sharded is current and may be re-sharded, and one SQLite file comes first in the list: neither is the way up.
    expect(initialOption(at('sharded'))).toBe('pglite');
    expect(initialOption(at('pglite'))).toBe('existing');
    expect(initialOption(at('pglite', null, true))).toBe('portable');
    expect(initialOption(at('postgres', 'portable', true))).toBe('existing');
    expect(nextTierUp(at('sharded'))).toBe('pglite');
    // A move running disables everything: nothing is the way up then.
    expect(nextTierUp({ ...at('sqlite'), moving: true })).toBeNull();
    // A recommendation that can be chosen still wins over the way up (here a downgrade to one file).
    expect(initialOption({ ...at('pglite'), recommendation: { action: 'move', target: { engine: 'sqlite' } } })).toBe('sqlite');
  });

  it('turns a choice into the move’s arguments', () => {
    expect(requestFor('sharded', { shards: 8, url: '' })).toEqual({ to: 'sharded', shards: 8 });
    expect(requestFor('portable', { shards: 8, url: 'x' })).toEqual({ to: 'postgres' });
    expect(requestFor('existing', { shards: 8, url: ' postgresql://h/db ' })).toEqual({ to: 'postgres', url: 'postgresql://h/db' });
    expect(requestFor('pglite', { shards: 8, url: '' })).toEqual({ to: 'pglite' });
  });

  it('names stores and checks connection strings in plain words', () => {
    expect(describeStore({ engine: 'sharded', shards: 4 })).toBe('sharded SQLite (4 shards)');
    expect(describeStore({ engine: 'postgres', server: 'portable' })).toBe('the bundled PostgreSQL server');
    expect(connectionStringProblem('')).toMatch(/Enter/u);
    expect(connectionStringProblem('mysql://x')).toMatch(/starts with postgresql:\/\//u);
    expect(connectionStringProblem('postgres://u@h/db')).toBeNull();
  });
});
