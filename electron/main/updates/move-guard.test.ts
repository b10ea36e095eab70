import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StrataError } from '../../../shared/errors';
import { handlerClient } from '../../db/ipc/testing/handler-client';
import { DatabaseManager } from '../../db/manager/database-manager';
import { createMoveGuard, type MoveClient } from './move-guard';

/** The two calls the guard makes, answered as the test says. */
function scripted(answer: () => Promise<{ activity: string }>) {
  const events = new EventEmitter();
  const client = {
    call: () => answer(),
    on: (event: string, listener: (payload: unknown) => void) => {
      events.on(event, listener);
      return () => events.off(event, listener);
    },
  } as unknown as MoveClient;
  return { client, emit: (event: string, payload: unknown = {}) => events.emit(event, payload) };
}

describe('the move guard', () => {
  it('follows the manager events, and forgets a move when its process is gone', () => {
    const guard = createMoveGuard();
    const db = scripted(() => Promise.resolve({ activity: 'idle' }));
    const seen: boolean[] = [];
    guard.onChange((m) => seen.push(m));
    guard.follow(db.client);
    expect(guard.moving()).toBe(false);
    db.emit('migration/progress');
    expect(guard.moving()).toBe(true);
    db.emit('migration/ended');
    expect(guard.moving()).toBe(false);
    db.emit('migration/progress');
    guard.follow(null);
    expect(guard.moving()).toBe(false);
    // The old process's events no longer count.
    db.emit('migration/progress');
    expect(guard.moving()).toBe(false);
    expect(seen).toEqual([true, false, true, false]);
  });

  it('asks the manager on probe, and when a (re)started process says it is ready', async () => {
    let activity = 'moving';
    const guard = createMoveGuard();
    const db = scripted(() => Promise.resolve({ activity }));
    guard.follow(db.client);
    db.emit('db/status', { state: 'ready' });
    await expect.poll(() => guard.moving(), { timeout: 10_000 }).toBe(true);
    activity = 'switching';
    expect(await guard.probe()).toBe('moving');
    activity = 'idle';
    expect(await guard.probe()).toBe('idle');
    expect(guard.moving()).toBe(false);
  });

  it('says unknown when the manager does not answer in time or the connection closed', async () => {
    const silent = createMoveGuard(50);
    silent.follow(scripted(() => new Promise(() => undefined)).client);
    expect(await silent.probe()).toBe('unknown');
    const closed = createMoveGuard();
    closed.follow(scripted(() => Promise.reject(new StrataError('closed', 'gone'))).client);
    expect(await closed.probe()).toBe('unknown');
  });

  it('says idle with no database process, or one that answers with an error (its store did not open)', async () => {
    const guard = createMoveGuard();
    expect(await guard.probe()).toBe('idle');
    guard.follow(scripted(() => Promise.reject(new StrataError('store-missing', 'no store'))).client);
    expect(await guard.probe()).toBe('idle');
  });
});

describe('the guard over a real manager', () => {
  let dir = '';
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads an idle manager through the real dispatcher and client', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-move-guard-'));
    const manager = await DatabaseManager.open(dir, { autoMoves: false, planEveryMs: 0 });
    const connection = handlerClient(manager);
    try {
      const guard = createMoveGuard();
      guard.follow(connection.client);
      expect(await guard.probe()).toBe('idle');
    } finally {
      connection.close();
      await manager.close();
    }
  });
});
