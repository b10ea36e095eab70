/**
 * The verdict on an existing server, against the real portable server the test setup starts:
 * a superuser passes, a login without CREATE is told so, a wrong password and a closed port
 * are unreachable with a message saying what to do.
 */
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../portable-server/free-port';
import { checkServer } from './check-server';

const admin = process.env.STRATA_TEST_PG_URL;

describe('checking an existing server', () => {
  if (!admin) throw new Error('STRATA_TEST_PG_URL is not set: the vitest global setup starts the portable server for these tests');
  const url = new URL(admin);
  const role = `strata_probe_${process.pid}`;
  const database = `strata_probe_db_${process.pid}`;

  beforeAll(async () => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`CREATE ROLE ${role} LOGIN PASSWORD 'probe-secret'`);
    await client.query(`CREATE DATABASE ${database}`);
    await client.end();
    // PostgreSQL 15+ gives nobody CREATE on public; the probe login gets no more than CONNECT.
  });

  afterAll(async () => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${database}`);
    await client.query(`DROP ROLE IF EXISTS ${role}`);
    await client.end();
  });

  const as = (user: string, password: string, db = database): string =>
    `postgresql://${user}:${encodeURIComponent(password)}@${url.hostname}:${url.port}/${db}`;

  it('passes a login that may create tables, reporting the version and Citus', async () => {
    const verdict = await checkServer(admin);
    expect(verdict).toMatchObject({ ok: true, reachable: true, versionSupported: true, canCreateTables: true, citus: 'absent', segments: 'hash-partitions', notes: [], problems: [] });
    expect(verdict.version).toMatch(/^18\./u);
    expect(verdict.server).not.toContain(decodeURIComponent(url.password));
  });

  it('tells a login without CREATE what it lacks', async () => {
    const verdict = await checkServer(as(role, 'probe-secret'));
    expect(verdict).toMatchObject({ ok: false, reachable: true, canCreateTables: false });
    expect(verdict.problems.join(' ')).toMatch(/may not create tables/u);
  });

  it('reports a wrong password and a closed port as unreachable', async () => {
    const wrong = await checkServer(as(role, 'not-the-password'));
    expect(wrong).toMatchObject({ ok: false, reachable: false });
    expect(wrong.problems).toHaveLength(1);
    const closed = await checkServer(`postgresql://strata:x@127.0.0.1:${await freePort()}/strata`, { timeoutMs: 3_000 });
    expect(closed).toMatchObject({ ok: false, reachable: false });
    expect(closed.problems[0]).toMatch(/127\.0\.0\.1/u);
  });

  it('tells a remote client of the host what a server answered, never how a connection failed', async () => {
    // A wrong password is the server's own answer (SQLSTATE 28P01): the remote page sees it.
    const wrong = await checkServer(as(role, 'not-the-password'), { remote: true });
    expect(wrong).toMatchObject({ ok: false, reachable: false });
    expect(wrong.problems[0]).toMatch(/password/iu);
    // A closed port and a port that speaks another protocol get the same words.
    const closed = await checkServer(`postgresql://strata:x@127.0.0.1:${await freePort()}/strata`, { timeoutMs: 3_000, remote: true });
    const http = net.createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const port = (http.address() as net.AddressInfo).port;
      const other = await checkServer(`postgresql://strata:x@127.0.0.1:${port}/strata`, { timeoutMs: 3_000, remote: true });
      expect(closed.problems[0]).toMatch(/^No PostgreSQL server answered at /u);
      expect(other.problems[0]?.replace(/:\d+/gu, ':P')).toBe(closed.problems[0]?.replace(/:\d+/gu, ':P'));
      expect(closed.problems.join(' ')).not.toMatch(/ECONNREFUSED|refused|terminated/iu);
    } finally {
      http.close();
    }
  });
});
