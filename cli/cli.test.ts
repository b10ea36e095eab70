/** The CLI as a user runs it: the real bin, a real data folder, JSON on stdout. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../electron/db/conformance/test-engines';

const run = promisify(execFile);
const BIN = path.resolve('bin/strata.js');

async function strata(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, STRATA_DATA_DIR: '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const json = (s: string): Record<string, unknown> => JSON.parse(s.trim().split('\n').pop() ?? '') as Record<string, unknown>;

describe('strata CLI', () => {
  let data: string;
  beforeAll(() => {
    data = makeTempDir('cli');
  });
  afterAll(() => {
    fs.rmSync(data, { recursive: true, force: true });
  });

  it('generates a catalog and reports it in stats --json', async () => {
    const gen = await strata('generate', '--segments', '20000', '--collection', 'Trial', '--data', data, '--json');
    expect(gen.code).toBe(0);
    expect(json(gen.stdout)).toMatchObject({ collection: 'Trial', segments: 20_000 });
    const stats = await strata('stats', '--json', '--data', data);
    expect(stats.code).toBe(0);
    const s = json(stats.stdout);
    expect(s).toMatchObject({ tier: 1, engine: 'sqlite', collections: 1, segments: 20_000 });
    expect(s.files).toBe((json(gen.stdout).files as number));
    expect(s.bytes).toBe(json(gen.stdout).bytes);
    expect(s.db_bytes as number).toBeGreaterThan(0);
  });

  it('adds a second generate run beside the first instead of colliding', async () => {
    const again = await strata('generate', '--segments', '5000', '--collection', 'Trial', '--data', data, '--json');
    expect(again.code).toBe(0);
    expect(json((await strata('stats', '--json', '--data', data)).stdout).segments).toBe(25_000);
  });

  it('searches with --json and in plain text', async () => {
    const found = await strata('search', 'flac', '--limit', '5', '--json', '--data', data);
    expect(found.code).toBe(0);
    const r = json(found.stdout) as { hits: { name: string; relPath: string }[]; next_offset: number | null; total: number | null; total_at_least: number };
    expect(r.hits.length).toBe(5);
    expect(r.hits.every((h) => h.name.toLowerCase().includes('flac') || h.relPath.toLowerCase().includes('flac'))).toBe(true);
    const plain = await strata('search', 'zzzznothing', '--data', data);
    expect(plain.stdout.trim()).toBe('No files match.');
    // How many matched: a lower bound while more pages follow, exact on the last page.
    expect(r.total_at_least).toBe(6);
    expect(r.total).toBeNull();
    const text = await strata('search', 'flac', '--limit', '5', '--data', data);
    expect(text.stdout.trim().split('\n').pop()).toBe('showing 1-5 of at least 6; more with --offset 5');
    const all = json((await strata('search', 'flac', '--limit', '500', '--json', '--data', data)).stdout) as { hits: unknown[]; total: number };
    const tail = await strata('search', 'flac', '--limit', '5', '--offset', String(all.total - 2), '--data', data);
    expect(tail.stdout.trim().split('\n').pop()).toBe(`showing ${all.total - 1}-${all.total} of ${all.total}.`);
  });

  it('reports errors in the one error shape, with a non-zero exit', async () => {
    const bad = await strata('search', '-cam', '--json', '--data', data);
    expect(bad.code).toBe(2);
    expect(json(bad.stdout)).toMatchObject({ error: { code: 'invalid-argument', name: 'StrataError' } });
    const unknown = await strata('frobnicate', '--data', data);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command "frobnicate"/u);
    const notDb = path.join(data, 'not-a-catalog');
    fs.mkdirSync(notDb);
    fs.writeFileSync(path.join(notDb, 'strata.db'), 'hello, I am a text file');
    const refused = await strata('stats', '--json', '--data', notDb);
    expect(refused.code).toBe(1);
    expect(json(refused.stdout)).toMatchObject({ error: { code: 'db-not-sqlite' } });
  });

  it('checks and backs up the catalog', async () => {
    const check = await strata('check', '--json', '--data', data);
    expect(json(check.stdout)).toMatchObject({ ok: true, problems: [] });
    const target = path.join(data, 'backup', 'copy.db');
    const backup = await strata('backup', target, '--json', '--data', data);
    expect(backup.code).toBe(0);
    expect(fs.statSync(target).size).toBe(json(backup.stdout).bytes);
  });

  it('imports, exports, indexes and attaches NZBs', async () => {
    const fixture = path.resolve('../shared/fixtures/nzb/nzbget/passwdMeta.nzb');
    const imported = await strata('import-nzb', fixture, '--collection', 'Posts', '--json', '--data', data);
    expect(imported.code).toBe(0);
    expect(json(imported.stdout)).toMatchObject({ imported: 1, failed: 0, files: 3, segments: 3 });
    const again = await strata('import-nzb', fixture, '--collection', 'Posts', '--json', '--data', data);
    expect(json(again.stdout)).toMatchObject({ imported: 0, duplicates: 1 });
    const bad = await strata('import-nzb', path.resolve('../shared/fixtures/nzb/sonarr/NotNzb.nzb'), '--collection', 'Posts', '--json', '--data', data);
    expect(bad.code).toBe(1);
    expect(json(bad.stdout)).toMatchObject({ failed: 1, results: [{ status: 'failed', error: { code: 'nzb-invalid' } }] });

    const out = path.join(data, 'out.nzb');
    const exported = await strata('export-nzb', '--collection', 'Posts', '--path', 'passwdMeta', '-o', out, '--json', '--data', data);
    expect(exported.code).toBe(0);
    expect(json(exported.stdout)).toMatchObject({ files: 3, segments: 3 });
    expect(fs.readFileSync(out, 'utf8')).toContain('<meta type="password">hqn8zQSuYBwWeoscZaOplJ</meta>');

    const folder = path.join(data, 'local');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'ubuntu-12.04-desktop-i386.nfo'), Buffer.alloc(800, 1));
    const indexed = await strata('index', folder, '--collection', 'Local', '--json', '--data', data);
    expect(json(indexed.stdout)).toMatchObject({ added: 1, problems: [] });
    const attached = await strata('attach-nzb', fixture, '--collection', 'Local', '--json', '--data', data);
    // One of the fixture's three files is in the folder; the other two are reported.
    expect(json(attached.stdout)).toMatchObject({ nzb_files: 3, matched_files: 1, attached_segments: 1 });
    expect(attached.code).toBe(1);
  });

  it('manages collections', async () => {
    expect((await strata('collections', 'create', 'Photos', '--data', data)).code).toBe(0);
    expect((await strata('collections', 'rename', 'Photos', 'Pictures', '--data', data)).code).toBe(0);
    const list = json((await strata('collections', '--json', '--data', data)).stdout) as { collections: { name: string }[] };
    expect(list.collections.map((c) => c.name)).toEqual(['Local', 'Pictures', 'Posts', 'Trial']);
    expect((await strata('collections', 'delete', 'Pictures', '--yes', '--data', data)).code).toBe(0);
    const dup = await strata('collections', 'create', 'trial', '--json', '--data', data);
    expect(json(dup.stdout)).toMatchObject({ error: { code: 'conflict' } });
  });

  it('creates a sharded catalog, finds it again without --engine, and re-shards it', async () => {
    const folder = path.join(data, 'sharded-cli');
    const gen = await strata('generate', '--segments', '20000', '--engine', 'sharded', '--shards', '3', '--data', folder, '--json');
    expect(gen.code).toBe(0);
    const stats = json((await strata('stats', '--tables', '--json', '--data', folder)).stdout);
    expect(stats).toMatchObject({ tier: 2, engine: 'sharded', segments: 20_000 });
    expect((stats.shards as unknown[]).length).toBe(3);
    const moved = await strata('reshard', '--shards', '4', '--json', '--data', folder);
    expect(moved.code).toBe(0);
    const reshard = json(moved.stdout) as { from: number; to: number; moved_rows: number; verified: boolean };
    expect(reshard).toMatchObject({ from: 3, to: 4, verified: true });
    // Jump hashing moves about a quarter of the rows from 3 to 4 shards.
    expect(reshard.moved_rows).toBeGreaterThan(3_000);
    expect(reshard.moved_rows).toBeLessThan(7_000);
    expect((await strata('check', '--json', '--data', folder)).code).toBe(0);
    const single = await strata('reshard', '--shards', '2', '--json', '--data', data);
    expect(single.code).not.toBe(0);
    expect(json(single.stdout)).toMatchObject({ error: { code: 'invalid-argument' } });
  });

  it('prints the planner\'s recommendation for the catalog as JSON', async () => {
    const plan = await strata('plan', '--json', '--data', data);
    expect(plan.code).toBe(0);
    const out = json(plan.stdout) as { input: { engine: string; segments: number }; recommendation: { action: string; reasons: string[] } };
    const stats = json((await strata('stats', '--json', '--data', data)).stdout);
    expect(out.input).toMatchObject({ engine: 'sqlite', segments: stats.segments });
    // A few tens of thousands of segments: one file serves that best.
    expect(out.recommendation.action).toBe('stay');
    expect(out.recommendation.reasons.length).toBeGreaterThan(0);
    const shared = json((await strata('plan', '--shared', '--json', '--data', data)).stdout) as { recommendation: { action: string; target: { engine: string } } };
    expect(shared.recommendation).toMatchObject({ action: 'move', target: { engine: 'postgres' } });
  });
});

describe('strata help, version and suggestions', () => {
  it('prints a command\'s help with its options, defaults and examples', async () => {
    const help = await strata('search', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}--limit <N> +hits per page \(at most 500\) \(default: 20\)$/mu);
    expect(help.stdout).toMatch(/^ {2}--collection <name> +search one collection \(default: every collection\)$/mu);
    expect(help.stdout).toContain('Examples:\n  strata search ubuntu iso\n');
    expect((await strata('help', 'stats')).stdout).toContain('--tables');
  });

  it('prints the package version', async () => {
    const { version } = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const v = await strata(flag);
      expect(v.code).toBe(0);
      expect(v.stdout).toBe(`strata ${version}\n`);
    }
  });

  it('suggests the command or option meant, as invalid-argument with exit code 2', async () => {
    const stat = await strata('stat');
    expect(stat.code).toBe(2);
    expect(stat.stderr).toBe('strata: Unknown command "stat". Did you mean "stats"? Run strata --help for the list.\n');
    const flag = await strata('stats', '--tabels', '--json');
    expect(flag.code).toBe(2);
    expect(json(flag.stdout)).toMatchObject({
      error: { name: 'StrataError', code: 'invalid-argument', message: 'Unknown option --tabels for strata stats. Did you mean --tables? Run strata stats --help for its options.' },
    });
    const missing = await strata('search', 'x', '--limit');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('strata: --limit needs a value: --limit <N>. Run strata search --help for its options.\n');
    const engine = await strata('migrate', '--to', 'mysql');
    expect(engine.stderr).toBe('strata: Strata cannot move a catalog to "mysql"; it moves to sqlite, sharded, pglite, postgres.\n');
    const url = await strata('check-server', 'notaurl');
    expect(url.code).toBe(2);
    expect(url.stderr).toBe('strata: "notaurl" is not a PostgreSQL connection string; it looks like postgresql://user:password@host:5432/database (add ?sslmode=require for TLS).\n');
    // A well-formed string reaches the server check through the typed API (no data folder needed).
    const closed = await strata('check-server', 'postgresql://u:p@127.0.0.1:1/db', '--json');
    expect(closed.code).toBe(1);
    expect(json(closed.stdout)).toMatchObject({ ok: false, reachable: false, problems: [expect.stringContaining('127.0.0.1')] });
    const boolean = await strata('stats', '--json=yes');
    expect(boolean.code).toBe(2);
    expect(boolean.stderr).toBe('strata: --json takes no value (got --json=yes). Run strata stats --help for its options.\n');
  });

  it('rebuilds the bundle when a source differs from the one it was built from', async () => {
    const stampFile = path.resolve('out/cli/sources.json');
    await strata('--version');
    const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8')) as { built_at: string; sources: Record<string, number> };
    expect(Object.keys(stamp.sources)).toEqual(expect.arrayContaining(['cli/main.ts', 'cli/commands/stats.ts', 'electron/db/engines/sharded/shard-writer-worker.ts', 'package.json']));
    // As if cli/version.ts had been edited after the build.
    fs.writeFileSync(stampFile, JSON.stringify({ ...stamp, sources: { ...stamp.sources, 'cli/version.ts': 1 } }));
    expect((await strata('--version')).code).toBe(0);
    const rebuilt = JSON.parse(fs.readFileSync(stampFile, 'utf8')) as typeof stamp;
    expect(rebuilt.sources['cli/version.ts']).toBe(fs.statSync('cli/version.ts').mtimeMs);
    expect(Date.parse(rebuilt.built_at)).toBeGreaterThan(Date.parse(stamp.built_at));
  });
});
