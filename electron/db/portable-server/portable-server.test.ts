/**
 * A first start of the portable server (extract, initdb, start) and what it set up, checked by
 * asking the running server itself.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortableServerProgress } from './portable-server';
import { memorySettings } from './server-config';
import { SERVER_ACCOUNT } from './server-user';
import { startTestServer, type TestServer } from './test-server-setup';
import { connectError, firstAuthRequest, query } from './testing';

let test: TestServer;
const events: PortableServerProgress[] = [];

beforeAll(async () => {
  // What a first start killed part-way leaves behind: a half-made cluster and a half extraction.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-pg-test-'));
  fs.mkdirSync(path.join(dataDir, 'postgres', 'data.initdb', 'base'), { recursive: true });
  fs.mkdirSync(path.join(dataDir, 'postgres', '.extract-half', 'bin'), { recursive: true });
  test = await startTestServer({ dataDir, onProgress: (e) => events.push(e) });
}, 180_000);

afterAll(async () => {
  await test?.dispose();
});

const url = (): string => test.server.connectionString;
const show = async (setting: string): Promise<string> => (await query<{ v: string }>(url(), `SELECT current_setting($1) AS v`, [setting]))[0]?.v ?? '';

describe('portable server, first start', () => {
  it('reports verify, extraction, initdb, start and ready, in that order', () => {
    const phases = [...new Set(events.map((e) => e.phase))];
    expect(phases).toEqual(['verify', 'extract', 'initdb', 'start', 'ready']);
    const lastExtract = events.filter((e) => e.phase === 'extract').at(-1);
    expect(lastExtract).toMatchObject({ percent: 100 });
    expect(events.at(-1)).toEqual({ phase: 'ready', port: test.server.port });
  });

  it('cleared what an interrupted earlier first start left', () => {
    const root = path.dirname(test.server.pgData);
    expect(fs.readdirSync(root).sort()).toEqual([expect.stringMatching(/^bin-18\.\d+-[0-9a-f]{8}$/u), 'data', 'server.json', 'superuser-password']);
  });

  it('runs the packed PostgreSQL version, UTF8 with locale C', async () => {
    expect(await show('server_version')).toMatch(new RegExp(`^${test.server.version.replace('.', '\\.')}`, 'u'));
    expect(await show('server_encoding')).toBe('UTF8');
    const [db] = await query<{ datcollate: string; datctype: string; enc: string }>(
      url(),
      'SELECT datcollate, datctype, pg_encoding_to_char(encoding) AS enc FROM pg_database WHERE datname = current_database()',
    );
    expect(db).toEqual({ datcollate: 'C', datctype: 'C', enc: 'UTF8' });
    expect(test.server.database).toBe('strata_test');
  });

  it('listens on loopback only, with SCRAM passwords and no Unix socket', async () => {
    expect(await show('listen_addresses')).toBe('127.0.0.1');
    expect(await show('password_encryption')).toBe('scram-sha-256');
    expect(await show('unix_socket_directories')).toBe('');
    expect(Number(await show('port'))).toBe(test.server.port);
    const [addr] = await query<{ addr: string }>(url(), 'SELECT host(inet_server_addr()) AS addr');
    expect(addr?.addr).toBe('127.0.0.1');
  });

  it('has no trust rule: every hba rule asks for a SCRAM password', async () => {
    const rules = await query<{ type: string; auth_method: string; error: string | null; address: string | null }>(
      url(),
      'SELECT type, auth_method, error, address FROM pg_hba_file_rules',
    );
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule.error).toBeNull();
      expect(rule.auth_method).toBe('scram-sha-256');
    }
    const [stored] = await query<{ pw: string }>(url(), "SELECT rolpassword AS pw FROM pg_authid WHERE rolname = 'strata'");
    expect(stored?.pw).toMatch(/^SCRAM-SHA-256\$/u);
  });

  it('refuses a connection without the password or with a wrong one', async () => {
    // Without a password the server does not let the client in: it asks for SCRAM (10), never OK (0).
    for (const user of ['strata', 'postgres', SERVER_ACCOUNT]) {
      expect(await firstAuthRequest(test.server.port, user, 'postgres')).toEqual({ code: 10, mechanisms: ['SCRAM-SHA-256'] });
    }
    const base = { host: '127.0.0.1', port: test.server.port, user: 'strata', database: 'postgres' };
    expect(await connectError({ ...base, password: '' })).not.toBeNull();
    expect((await connectError({ ...base, password: 'not-the-password' }))?.code).toBe('28P01');
    expect((await connectError({ ...base, user: 'postgres', password: 'x' }))?.code).toBe('28P01');
  });

  it('applies the tuned settings: memory from the machine, minimal WAL, durable commits, logs in the data folder', async () => {
    const mem = memorySettings(os.totalmem());
    expect(await show('shared_buffers')).toBe(`${mem.sharedBuffersMb}MB`);
    expect(await show('work_mem')).toBe(`${mem.workMemMb}MB`);
    expect(await show('wal_level')).toBe('minimal');
    expect(await show('max_wal_senders')).toBe('0');
    expect(await show('synchronous_commit')).toBe('on');
    expect(await show('fsync')).toBe('on');
    expect(await show('logging_collector')).toBe('on');
    expect(await show('data_checksums')).toBe('on');
    expect(fs.readdirSync(path.join(test.server.pgData, 'log')).some((n) => n.startsWith('postgresql-'))).toBe(true);
  });

  it('keeps the password in a user-only file, and no pwfile behind', () => {
    const password = fs.readFileSync(test.server.passwordFile, 'utf8').trim();
    expect(password.length).toBeGreaterThanOrEqual(40);
    expect(fs.statSync(test.server.passwordFile).mode & 0o777).toBe(0o600);
    expect(test.server.connectionString).toBe(`postgres://strata:${password}@127.0.0.1:${test.server.port}/strata_test`);
    expect(test.server.displayConnectionString).toBe(`postgres://strata:********@127.0.0.1:${test.server.port}/strata_test`);
    const root = path.dirname(test.server.passwordFile);
    expect(fs.readdirSync(root).filter((n) => n.includes('pwfile'))).toEqual([]);
    for (const conf of ['postgresql.conf', 'strata.conf', 'postgresql.auto.conf']) {
      expect(fs.readFileSync(path.join(test.server.pgData, conf), 'utf8')).not.toContain(password);
    }
  });

  it('runs the server as an unprivileged account when the app is root, else as the user', async () => {
    const [who] = await query<{ owner: string }>(url(), "SELECT pg_catalog.pg_stat_file('PG_VERSION') IS NOT NULL AS owner");
    expect(who).toBeDefined();
    const isRoot = process.getuid?.() === 0;
    const owner = fs.statSync(test.server.pgData).uid;
    const serverUid = fs.statSync(`/proc/${test.server.pid}`).uid;
    if (isRoot) {
      expect(owner).not.toBe(0);
      expect(serverUid).toBe(owner);
      expect(fs.readFileSync('/etc/passwd', 'utf8')).toMatch(new RegExp(`^${SERVER_ACCOUNT}:x:${owner}:`, 'mu'));
    } else {
      expect(owner).toBe(process.getuid?.());
      expect(serverUid).toBe(process.getuid?.());
    }
  });
});
