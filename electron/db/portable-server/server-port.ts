/**
 * Which loopback port the portable server gets. A fixed port (a user setting) must be free or
 * the start fails with pg-port-in-use; otherwise the port of the last start is reused while it
 * is free, so a connection string the user saved in another tool keeps working, and any free
 * port is taken when it is not. `server.json` remembers the port.
 */
import fs from 'node:fs';
import { StrataError } from '../../../shared/errors';
import { freePort, isPortFree } from './free-port';
import type { PortableLayout } from './layout';

export async function choosePort(layout: PortableLayout, fixed: number | undefined): Promise<number> {
  if (fixed !== undefined) {
    if (await isPortFree(fixed)) return fixed;
    throw new StrataError(
      'pg-port-in-use',
      `Port ${fixed} on 127.0.0.1 is used by another program, so the portable PostgreSQL server cannot listen on it. ` +
        'Close that program, choose another port, or leave the port empty so that Strata picks a free one.',
      { port: fixed },
    );
  }
  // The same port as last time keeps a connection string the user saved in another tool valid.
  const last = loadState(layout).port;
  if (last !== undefined && (await isPortFree(last))) return last;
  return freePort();
}

interface ServerState {
  port?: number;
}

export function loadState(layout: PortableLayout): ServerState {
  try {
    const parsed = JSON.parse(fs.readFileSync(layout.stateFile, 'utf8')) as ServerState;
    return typeof parsed.port === 'number' ? { port: parsed.port } : {};
  } catch {
    return {};
  }
}

export function saveState(layout: PortableLayout, state: ServerState): void {
  fs.writeFileSync(layout.stateFile, `${JSON.stringify(state)}\n`);
}

