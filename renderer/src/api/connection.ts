/**
 * How the page reaches the catalog: in the desktop app the preload has put the typed API on
 * `window.strata`; in a browser (the headless host) the page opens the host's WebSocket with
 * the token from its URL fragment. Both give the same StrataApi, so the UI is the same.
 */
import type { StrataApi } from '../../../shared/ipc/api';
import type { DesktopBridge } from '../../../shared/ipc/desktop';

/** What the preload puts on `window.strata`: the handler map plus the desktop-only bridge. */
export type WindowStrata = StrataApi & { desktop?: DesktopBridge };

export type Transport = { kind: 'electron'; api: WindowStrata } | { kind: 'websocket'; url: string } | { kind: 'none'; reason: string };

export interface PageEnvironment {
  strata?: WindowStrata;
  location: { protocol: string; host: string; hash: string };
}

export function chooseTransport(env: PageEnvironment): Transport {
  if (env.strata) return { kind: 'electron', api: env.strata };
  const token = new URLSearchParams(env.location.hash.replace(/^#/u, '')).get('token');
  if (!token) return { kind: 'none', reason: 'Open the address that `strata serve` printed: it carries the access token after the #.' };
  const scheme = env.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return { kind: 'websocket', url: `${scheme}//${env.location.host}/ipc?token=${encodeURIComponent(token)}` };
}

/** Waits before the n-th reconnection attempt: quick at first, then every few seconds. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(5_000, 250 * 2 ** Math.max(0, attempt - 1));
}
