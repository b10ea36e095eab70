import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStrataError } from '../../../shared/errors';
import { ensurePortableServer, portableServerRefusal } from './portable-server';
import { probeAnsiCodePage } from './windows-code-page';
import { elevationRefusal, isAdminRefusal, parseWhoamiGroups, probeElevation } from './windows-elevation';

// `whoami /groups /fo csv /nh` as Windows 11 writes it (English), for a normal and an elevated token.
const NORMAL = [
  '"Everyone","Well-known group","S-1-1-0","Mandatory group, Enabled by default, Enabled group"',
  '"NT AUTHORITY\\Local account and member of Administrators group","Well-known group","S-1-5-114","Group used for deny only"',
  '"BUILTIN\\Administrators","Alias","S-1-5-32-544","Group used for deny only"',
  '"BUILTIN\\Users","Alias","S-1-5-32-545","Mandatory group, Enabled by default, Enabled group"',
  '"NT AUTHORITY\\INTERACTIVE","Well-known group","S-1-5-4","Mandatory group, Enabled by default, Enabled group"',
  '"Mandatory Label\\Medium Mandatory Level","Label","S-1-16-8192",""',
].join('\r\n');
const ELEVATED = NORMAL.replace('"S-1-5-32-544","Group used for deny only"', '"S-1-5-32-544","Mandatory group, Enabled by default, Enabled group, Group owner"').replace(
  '"Mandatory Label\\Medium Mandatory Level","Label","S-1-16-8192",""',
  '"Mandatory Label\\High Mandatory Level","Label","S-1-16-12288",""',
);
// The same elevated token on a German Windows: names and attributes translated, SIDs not.
const ELEVATED_DE = [
  '"Jeder","Bekannte Gruppe","S-1-1-0","Verbindliche Gruppe, Standardmäßig aktiviert, Aktivierte Gruppe"',
  '"VORDEFINIERT\\Administratoren","Alias","S-1-5-32-544","Verbindliche Gruppe, Standardmäßig aktiviert, Aktivierte Gruppe, Gruppenbesitzer"',
  '"Verbindliche Beschriftung\\Hohe Verbindlichkeitsstufe","Bezeichnung","S-1-16-12288",""',
].join('\r\n');

describe('parseWhoamiGroups', () => {
  it('sees a normal UAC token (admin group deny-only, Medium) as not elevated', () => {
    expect(parseWhoamiGroups(NORMAL)).toEqual({ elevated: false, evidence: 'not-elevated', sid: 'S-1-16-8192' });
  });

  it('sees "Run as administrator" by the High mandatory level, in any display language', () => {
    expect(parseWhoamiGroups(ELEVATED)).toEqual({ elevated: true, evidence: 'high-integrity', sid: 'S-1-16-12288' });
    expect(parseWhoamiGroups(ELEVATED_DE)).toEqual({ elevated: true, evidence: 'high-integrity', sid: 'S-1-16-12288' });
  });

  it('sees a process of the SYSTEM account (System level) as elevated', () => {
    expect(parseWhoamiGroups('"Mandatory Label\\System Mandatory Level","Label","S-1-16-16384",""\n')).toMatchObject({ elevated: true, sid: 'S-1-16-16384' });
  });

  it('sees an enabled Power Users group at Medium (UAC off) where the English text shows it', () => {
    const powerUser = `${NORMAL}\r\n"BUILTIN\\Power Users","Alias","S-1-5-32-547","Mandatory group, Enabled by default, Enabled group"`;
    expect(parseWhoamiGroups(powerUser)).toEqual({ elevated: true, evidence: 'admin-group-enabled', sid: 'S-1-5-32-547' });
  });

  it('says it does not know when the output has no mandatory label at all', () => {
    for (const output of ['', 'ERROR: Access is denied.', '"just","text"']) expect(parseWhoamiGroups(output)).toEqual({ elevated: null, evidence: 'unknown' });
  });

  it('reads quoted quotes and commas inside names', () => {
    const odd = '"Group ""A, B""","Alias","S-1-5-21-1-2-3-1001","Enabled group"\n"Mandatory Label\\Medium Mandatory Level","Label","S-1-16-8192",""';
    expect(parseWhoamiGroups(odd).elevated).toBe(false);
  });
});

describe('the elevation decision and probe', () => {
  it('refuses an elevated process with what to do, and lets an unknown one try', () => {
    const refusal = elevationRefusal({ elevated: true, evidence: 'high-integrity', sid: 'S-1-16-12288' });
    expect(refusal?.code).toBe('pg-start-failed');
    expect(refusal?.message).toMatch(/running as administrator/u);
    expect(refusal?.message).toMatch(/not with "Run as administrator"/u);
    expect(refusal?.message).toMatch(/SQLite, sharded SQLite or embedded PostgreSQL works either way/u);
    expect(refusal?.details).toEqual({ elevated: true, evidence: 'high-integrity', sid: 'S-1-16-12288' });
    expect(elevationRefusal({ elevated: null, evidence: 'unknown' })).toBeNull();
    expect(elevationRefusal({ elevated: false, evidence: 'not-elevated' })).toBeNull();
  });

  it('asks whoami on Windows only, and treats a failing whoami as unknown', async () => {
    let asked = 0;
    const run = async (): Promise<string> => {
      asked += 1;
      return ELEVATED;
    };
    expect(await probeElevation('linux', run)).toEqual({ elevated: false, evidence: 'not-elevated' });
    expect(asked).toBe(0);
    expect((await probeElevation('win32', run)).elevated).toBe(true);
    expect(await probeElevation('win32', () => Promise.reject(new Error('ENOENT')))).toEqual({ elevated: null, evidence: 'unknown' });
  });

  it("recognises postgres.exe's own refusal, wrapped as it prints it", () => {
    expect(isAdminRefusal('Execution of PostgreSQL by a user with administrative permissions is not\npermitted.\nThe server must be started under an unprivileged user ID')).toBe(true);
    expect(isAdminRefusal('"root" execution of the PostgreSQL server is not permitted.')).toBe(false);
  });

  it('gives the wizard the same refusal before a move starts, and none for a normal process here', async () => {
    const dataDir = path.join(os.tmpdir(), 'never-created');
    expect((await portableServerRefusal({ dataDir, probeElevation: async () => parseWhoamiGroups(ELEVATED_DE) }))?.message).toMatch(/administrator/u);
    expect(await portableServerRefusal({ dataDir, probeElevation: async () => parseWhoamiGroups(NORMAL), probeCodePage: async () => 1252 })).toBeNull();
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('makes the portable server refuse before it extracts or creates anything', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-elevated-'));
    try {
      const start = ensurePortableServer({ dataDir, resourcesDir: path.join(dataDir, 'no-resources'), probeElevation: async () => parseWhoamiGroups(ELEVATED) });
      const error: unknown = await start.then(
        () => null,
        (e: unknown) => e,
      );
      expect(isStrataError(error, 'pg-start-failed')).toBe(true);
      expect((error as Error).message).toMatch(/administrator/u);
      expect(fs.readdirSync(dataDir)).toEqual([]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the code-page probe', () => {
  it('asks reg on Windows only, and treats a failing reg as unknown', async () => {
    expect(await probeAnsiCodePage('linux', () => Promise.reject(new Error('not asked')))).toBeNull();
    expect(await probeAnsiCodePage('win32', async () => '    ACP    REG_SZ    1251\r\n')).toBe(1251);
    expect(await probeAnsiCodePage('win32', () => Promise.reject(new Error('ENOENT')))).toBeNull();
  });
});

