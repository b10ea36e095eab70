/**
 * The strata command does nothing the user did not ask for, through the real bin (issue 18,
 * items 3 to 6): a read-only command never creates a catalog, a wrong --data is explained, a
 * destructive command asks on a terminal and needs --yes in a script, an output file is kept
 * unless --force, settings have their own command and plan --shared records nothing, the stores
 * a move leaves are listed and removed by name, and a failed command leaves no collection behind.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../electron/db/conformance/test-engines';
import { lastJson, strata, strataOnTerminal } from './testing/strata-process';

const FIXTURE = path.resolve('../shared/fixtures/nzb/nzbget/passwdMeta.nzb');
const errorOf = (stdout: string): { code: string; message: string } => lastJson(stdout).error as { code: string; message: string };
const isLinuxRoot = process.platform === 'linux' && process.getuid?.() === 0;
const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;

let root: string;
beforeAll(() => {
  root = makeTempDir('cli-safety');
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/** A data folder with one imported NZB (3 files) in "Posts". */
async function seeded(name: string): Promise<string> {
  const data = path.join(root, name);
  const imported = await strata('import-nzb', FIXTURE, '--collection', 'Posts', '--data', data, '--json');
  expect(imported.code, imported.stderr).toBe(0);
  return data;
}

describe('the data folder a command names', () => {
  it('is never created by a read-only command: a missing or empty folder is not-found, naming it and how to start one', async () => {
    const missing = path.join(root, 'typo');
    for (const args of [['stats'], ['search', 'ubuntu'], ['collections'], ['plan'], ['check'], ['stores'], ['settings'], ['export-nzb', '--collection', 'X', '-o', path.join(root, 'x.nzb')]]) {
      const r = await strata(...args, '--data', missing, '--json');
      expect(r.code, args.join(' ')).toBe(1);
      expect(errorOf(r.stdout)).toMatchObject({ code: 'not-found' });
      expect(errorOf(r.stdout).message).toContain(`There is no data folder at ${missing}`);
      expect(errorOf(r.stdout).message).toMatch(/strata import-nzb .*strata index .*strata generate/u);
      expect(fs.existsSync(missing), args.join(' ')).toBe(false);
    }
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty);
    const r = await strata('search', 'x', '--data', empty);
    expect(r.stderr).toMatch(/^strata: The folder .*empty holds no Strata catalog, so strata search has nothing to read\./u);
    expect(fs.readdirSync(empty)).toEqual([]);
    // A command that starts a catalog still does.
    const created = await strata('import-nzb', FIXTURE, '--collection', 'Posts', '--data', missing, '--json');
    expect(created.code).toBe(0);
    expect(lastJson((await strata('stats', '--data', missing, '--json')).stdout)).toMatchObject({ files: 3 });
  });

  it('that is a file, or lies under one, is explained instead of "Unexpected error: EEXIST"', async () => {
    const file = path.join(root, 'a-file');
    fs.writeFileSync(file, 'not a folder');
    for (const args of [['stats', '--data', file], ['import-nzb', FIXTURE, '--collection', 'P', '--data', path.join(file, 'sub')]]) {
      const r = await strata(...args, '--json');
      expect(r.code).toBe(2);
      expect(errorOf(r.stdout)).toMatchObject({ code: 'invalid-argument', message: expect.stringContaining(`${file} is a file, not a folder`) as unknown });
    }
    expect(fs.readFileSync(file, 'utf8')).toBe('not a folder');
  });

  it.runIf(isLinuxRoot)('that this account may not read is said so (as an unprivileged user)', async () => {
    const locked = await seeded('locked');
    fs.chmodSync(locked, 0o700);
    // The bundle up to date first: the other user may not rebuild it.
    await strata('--version');
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, 'bin/strata.js', 'stats', '--data', locked, '--json'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(errorOf(r.stdout)).toMatchObject({ code: 'io', message: expect.stringContaining(`Strata may not use ${locked} (permission denied)`) as unknown });
  });

  it.runIf(isLinuxRoot)('on a full disk is disk-full, naming the folder, before anything is written', async () => {
    const mount = path.join(root, 'full');
    fs.mkdirSync(mount);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mount]);
    try {
      fs.writeFileSync(path.join(mount, 'filler'), Buffer.alloc(900 * 1024));
      const r = await strata('import-nzb', FIXTURE, '--collection', 'P', '--data', path.join(mount, 'catalog'), '--json');
      expect(r.code).toBe(1);
      expect(errorOf(r.stdout)).toMatchObject({ code: 'disk-full', message: expect.stringContaining(`The disk that would hold the data folder ${path.join(mount, 'catalog')} is full`) as unknown });
      expect(fs.readdirSync(mount)).toEqual(['filler']);
    } finally {
      execFileSync('umount', [mount]);
    }
  });
});

describe('destructive commands', () => {
  it('refuse in a script without --yes, saying to add it, and do it with --yes', async () => {
    const data = await seeded('destructive');
    const refused = await strata('collections', 'delete', 'Posts', '--data', data);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Delete the collection "Posts" from the catalog: 3 files and 3 segments');
    expect(refused.stderr).toContain(`add --yes to do it (strata collections delete Posts --data ${data} --yes)`);
    expect(lastJson((await strata('collections', '--data', data, '--json')).stdout).collections).toHaveLength(1);
    const done = await strata('collections', 'delete', 'Posts', '--data', data, '--yes', '--json');
    expect(done.code).toBe(0);
    expect(lastJson((await strata('collections', '--data', data, '--json')).stdout).collections).toHaveLength(0);
  });

  it.runIf(hasScript)('ask on a terminal: no (the default) keeps everything, y goes on', async () => {
    const data = await seeded('on-a-terminal');
    const no = await strataOnTerminal(['collections', 'delete', 'Posts', '--data', data], 'n');
    expect(no.screen).toContain('Go on? [y/N]');
    expect(no.screen).toContain('Nothing was done (not confirmed).');
    expect(no.code).toBe(1);
    expect(lastJson((await strata('collections', '--data', data, '--json')).stdout).collections).toHaveLength(1);
    const yes = await strataOnTerminal(['collections', 'delete', 'Posts', '--data', data], 'y');
    expect(yes.screen).toContain('Deleted collection "Posts" (3 files).');
    expect(yes.code).toBe(0);
  });

  it('keep an existing backup or NZB unless --force, and replace it with --force', async () => {
    const data = await seeded('outputs');
    const nzb = path.join(root, 'kept.nzb');
    const backup = path.join(root, 'kept.db');
    fs.writeFileSync(nzb, 'last week');
    fs.writeFileSync(backup, 'last week');
    const exported = await strata('export-nzb', '--collection', 'Posts', '-o', nzb, '--data', data, '--json');
    expect(exported.code).toBe(1);
    expect(errorOf(exported.stdout)).toMatchObject({ code: 'conflict', message: `${nzb} already exists, and the NZB would replace it; nothing was written. Add --force to replace it, or name another file.` });
    const backedUp = await strata('backup', backup, '--data', data, '--json');
    expect(errorOf(backedUp.stdout)).toMatchObject({ code: 'conflict', message: expect.stringContaining(backup) as unknown });
    expect(fs.readFileSync(nzb, 'utf8')).toBe('last week');
    expect(fs.readFileSync(backup, 'utf8')).toBe('last week');

    expect((await strata('export-nzb', '--collection', 'Posts', '-o', nzb, '--force', '--data', data)).code).toBe(0);
    expect(fs.readFileSync(nzb, 'utf8')).toContain('<nzb');
    const forced = await strata('backup', backup, '--force', '--data', data, '--json');
    expect(forced.code, forced.stdout).toBe(0);
    expect(lastJson(forced.stdout)).toMatchObject({ path: backup, replaced: true });
    expect(fs.readFileSync(backup).subarray(0, 15).toString()).toBe('SQLite format 3');
    expect(fs.readdirSync(root).filter((f) => f.startsWith('kept.db.'))).toEqual([]);
  });
});

describe('settings, plan and stores', () => {
  it('shows and changes the settings; plan lists them and --shared records nothing', async () => {
    const data = await seeded('settings');
    const all = lastJson((await strata('settings', '--data', data, '--json')).stdout);
    expect(all).toEqual({ settings: { 'simple-moves': 'automatic', 'other-moves': 'ask', 'shared-access': 'no' } });
    const shared = lastJson((await strata('plan', '--shared', '--data', data, '--json')).stdout);
    expect(shared).toMatchObject({ as_if_shared: true, recommendation: { action: 'move', target: { engine: 'postgres' } }, decision: 'ask' });
    // The one-off left the setting as it was, so the next plan is the plain one.
    expect(lastJson((await strata('settings', 'shared-access', '--data', data, '--json')).stdout)).toEqual({ settings: { 'shared-access': 'no' } });
    expect(lastJson((await strata('plan', '--data', data, '--json')).stdout)).toMatchObject({ recommendation: { action: 'stay' } });

    const set = await strata('settings', 'shared-access', 'yes', '--data', data);
    expect(set.stdout).toBe('shared-access is yes now.\n');
    const plan = await strata('plan', '--data', data);
    expect(plan.stdout).toMatch(/^Move to postgres \(the app asks first\)\./mu);
    expect(plan.stdout).toContain('Settings: simple-moves automatic, other-moves ask, shared-access yes (strata settings changes them).');
    expect((await strata('settings', 'shared-access', 'default', '--data', data)).stdout).toBe('shared-access is no now.\n');

    const typo = await strata('settings', 'simple-move', 'ask', '--data', data);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe('strata: There is no setting "simple-move". Did you mean "simple-moves"? strata settings lists them.\n');
    const badValue = await strata('settings', 'simple-moves', 'sometimes', '--data', data);
    expect(badValue.stderr).toBe('strata: simple-moves is automatic or ask (or default); got "sometimes".\n');
  });

  it('lists the stores two moves left, with sizes, and removes the ones named (the previous one only with consent)', async () => {
    const data = await seeded('stores');
    expect((await strata('migrate', '--to', 'sharded', '--shards', '2', '--data', data, '--json')).code).toBe(0);
    expect((await strata('migrate', '--to', 'sqlite', '--data', data, '--json')).code).toBe(0);
    type Listed = { name: string; engine: string; role: string; bytes: number };
    const listed = lastJson((await strata('stores', '--data', data, '--json')).stdout) as { stores: Listed[]; removable_bytes: number };
    expect(listed.stores.map((s) => [s.engine, s.role])).toEqual([
      ['sqlite', 'active'],
      ['sharded', 'previous'],
      ['sqlite', 'retired'],
    ]);
    const [active, previous, retired] = listed.stores as [Listed, Listed, Listed];
    expect(listed.removable_bytes).toBe(previous.bytes + retired.bytes);
    const text = await strata('stores', '--data', data);
    expect(text.stdout).toMatch(new RegExp(`^${previous.name} +sharded +previous \\(rollback\\) +[\\d.]+ [KM]B`, 'mu'));

    const activeRefused = await strata('stores', 'remove', active.name, '--yes', '--data', data, '--json');
    expect(errorOf(activeRefused.stdout)).toMatchObject({ code: 'conflict', message: expect.stringContaining('is the active store') as unknown });
    const unnamed = await strata('stores', 'remove', 'nope', '--yes', '--data', data, '--json');
    expect(errorOf(unnamed.stdout).message).toContain(`There is no store named "nope" in ${data}`);

    const noConsent = await strata('stores', 'remove', previous.name, '--data', data);
    expect(noConsent.code).toBe(2);
    expect(noConsent.stderr).toContain(`${previous.name} is the previous store: strata rollback will no longer be possible.`);
    expect(noConsent.stderr).toContain('add --yes');

    const removed = await strata('stores', 'remove', retired.name, previous.name, '--yes', '--data', data, '--json');
    expect(removed.code, removed.stdout).toBe(0);
    expect(lastJson(removed.stdout)).toMatchObject({ freed_bytes: previous.bytes + retired.bytes });
    expect((lastJson((await strata('stores', '--data', data, '--json')).stdout).stores as Listed[]).map((s) => s.role)).toEqual(['active']);
    const rollback = await strata('rollback', '--yes', '--data', data, '--json');
    expect(errorOf(rollback.stdout)).toMatchObject({ code: 'not-found' });
    expect(lastJson((await strata('stats', '--data', data, '--json')).stdout)).toMatchObject({ files: 3 });
  });
});

describe('a failed command', () => {
  it('leaves no collection behind: index of a file or a missing folder, an import of nothing readable', async () => {
    const data = await seeded('no-side-effects');
    const names = async (): Promise<string[]> => (lastJson((await strata('collections', '--data', data, '--json')).stdout).collections as { name: string }[]).map((c) => c.name);
    const file = await strata('index', '/etc/hostname', '--collection', 'X', '--data', data, '--json');
    expect(file.code).toBe(2);
    expect(errorOf(file.stdout).message).toBe('/etc/hostname is a file; strata index takes a folder (its files are indexed with it).');
    const missing = await strata('index', path.join(root, 'nowhere'), '--collection', 'X', '--data', data, '--json');
    expect(errorOf(missing.stdout)).toMatchObject({ code: 'not-found' });
    const unreadable = await strata('import-nzb', path.join(root, 'nowhere.nzb'), '--collection', 'Y', '--data', data, '--json');
    expect(unreadable.code).toBe(1);
    expect(lastJson(unreadable.stdout)).toMatchObject({ imported: 0, failed: 1 });
    expect(await names()).toEqual(['Posts']);
    // An existing collection is never removed by a failure, even when empty.
    expect((await strata('collections', 'create', 'Empty', '--data', data)).code).toBe(0);
    await strata('import-nzb', path.join(root, 'nowhere.nzb'), '--collection', 'Empty', '--data', data);
    expect(await names()).toEqual(['Empty', 'Posts']);
  });
});
