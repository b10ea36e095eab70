/**
 * How the page reaches the catalog: in the desktop app the preload has put the typed API on
 * `window.strata`; in a browser (the headless host) the page opens the host's WebSocket with
 * the token from its URL fragment. Both give the same StrataApi, so the UI is the same.
 */
import type { StrataApi } from '../../shared/ipc/api';

export type Transport = { kind: 'electron'; api: StrataApi } | { kind: 'websocket'; url: string } | { kind: 'none'; reason: string };

export interface PageEnvironment {
  strata?: StrataApi;
  location: { protocol: string; host: string; hash: string };
}

export function chooseTransport(env: PageEnvironment): Transport {
  if (env.strata) return { kind: 'electron', api: env.strata };
  const token = new URLSearchParams(env.location.hash.replace(/^#/u, '')).get('token');
  if (!token) return { kind: 'none', reason: 'Open the address that `strata serve` printed: it carries the access token after the #.' };
  const scheme = env.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return { kind: 'websocket', url: `${scheme}//${env.location.host}/ipc?token=${encodeURIComponent(token)}` };
}
