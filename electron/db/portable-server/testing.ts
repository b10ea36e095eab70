/** Helpers for the runtime's own tests: one-shot queries and process checks. */
import fs from 'node:fs';
import net from 'node:net';
import pg from 'pg';

export async function query<T extends pg.QueryResultRow>(config: string | pg.ClientConfig, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client(typeof config === 'string' ? { connectionString: config } : config);
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** The error a connection attempt fails with (or null if it connects). */
export async function connectError(config: pg.ClientConfig): Promise<(Error & { code?: string }) | null> {
  try {
    await query(config, 'SELECT 1');
    return null;
  } catch (error) {
    return error as Error & { code?: string };
  }
}

/** Linux: the pids whose parent is `pid` (a postmaster's children). */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/u.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 is the parent pid; the command name (field 2) may hold spaces, so split after ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // Gone while scanning.
    }
  }
  return out;
}

/**
 * Opens a raw protocol-3 session without any password and returns the server's first answer:
 * the authentication request code (0 = let in without a password, 10 = SASL) and, for SASL,
 * the mechanisms offered. Drivers refuse to even try an empty password for SCRAM, so this is
 * how a test sees what the server itself does with a client that has none.
 */
export function firstAuthRequest(port: number, user: string, database: string): Promise<{ code: number; mechanisms: string[] }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const params = Buffer.from(`user\0${user}\0database\0${database}\0\0`, 'utf8');
    const startup = Buffer.alloc(8 + params.length);
    startup.writeInt32BE(startup.length, 0);
    startup.writeInt32BE(196608, 4);
    params.copy(startup, 8);
    let received = Buffer.alloc(0);
    socket.on('connect', () => socket.write(startup));
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 5) return;
      const length = received.readInt32BE(1);
      if (received.length < 1 + length) return;
      socket.destroy();
      if (String.fromCharCode(received[0] ?? 0) !== 'R') return reject(new Error(`unexpected message ${received.subarray(0, 1).toString()}`));
      const code = received.readInt32BE(5);
      const mechanisms = received.subarray(9, 1 + length).toString('utf8').split('\0').filter(Boolean);
      resolve({ code, mechanisms });
    });
  });
}
