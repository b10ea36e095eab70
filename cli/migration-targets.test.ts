import { describe, expect, it } from 'vitest';
import { MIGRATION_TARGETS as ENGINE_TARGETS } from '../electron/db/manager/migrate-data-folder';
import { MIGRATION_TARGETS } from './migration-targets';

describe('MIGRATION_TARGETS of the CLI', () => {
  it('names the engines the migration engine moves to', () => {
    expect([...MIGRATION_TARGETS]).toEqual([...ENGINE_TARGETS]);
  });
});
