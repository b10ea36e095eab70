import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledPostgresDir } from './bundled-postgres';

describe('bundled PostgreSQL location', () => {
  it('is resources/postgres of the installed app, or of the checkout in development', () => {
    expect(bundledPostgresDir({ isPackaged: true, resourcesPath: '/opt/Strata/resources', appPath: '/opt/Strata/resources/app.asar' })).toBe(
      path.join('/opt/Strata/resources', 'postgres'),
    );
    expect(bundledPostgresDir({ isPackaged: false, resourcesPath: '/x/electron/resources', appPath: '/src/strata' })).toBe(path.join('/src/strata', 'resources', 'postgres'));
  });
});
