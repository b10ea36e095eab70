import { fork } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../../shared/ipc/client';
import type { DatabaseChild } from './database-child';
import { DatabaseSupervisor } from './database-supervisor';
import { asDatabaseChild } from './node-child';

// A real process that dies as soon as it starts: what a database process with a broken
// install or a crashing native module looks like to its supervisor.
function crashingChild(): DatabaseChild {
  return asDatabaseChild(fork('-e', ['setTimeout(() => process.exit(3), 50)'], { execPath: process.execPath, execArgv: [], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] }));
}

describe('DatabaseSupervisor', () => {
  let supervisor: DatabaseSupervisor | null = null;
  afterEach(async () => {
    await supervisor?.stop();
    supervisor = null;
  });

  it('restarts a crashing process by its policy, tells its clients, and gives up', async () => {
    const started: number[] = [];
    const exits: (number | null)[] = [];
    let gaveUpWith: (detail: string) => void = () => undefined;
    const gaveUp = new Promise<string>((resolve) => (gaveUpWith = resolve));
    const s = new DatabaseSupervisor('/nonexistent', crashingChild, {
      onStarted: (c) => started.push(c.pid ?? -1),
      onExit: (code) => exits.push(code),
      onGaveUp: (detail) => gaveUpWith(detail),
      // Two restarts at once, then stop: the shipped back-off (restart-policy.test.ts) is slower.
      restartPolicy: (crashes) => ({ restart: crashes.length <= 2, delayMs: 0 }),
    });
    supervisor = s;
    const statuses: string[] = [];
    const client = createClient(s.port());
    client.on('db/status', (p) => statuses.push(p.state));
    s.start();
    const detail = await gaveUp;
    expect(detail).toMatch(/keeps stopping/u);
    expect(started).toHaveLength(3);
    expect(new Set(started).size).toBe(3);
    expect(exits).toEqual([3, 3, 3]);
    expect(statuses).toEqual(['starting', 'restarting', 'starting', 'restarting', 'starting', 'stopped']);
    expect(s.current).toBeNull();
    // A call after it gave up fails at once with the supervisor's message, not silence.
    await expect(client.call('collections/list', {})).rejects.toMatchObject({ code: 'internal' });
    client.close();
  });
});
