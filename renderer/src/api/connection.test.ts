import { describe, expect, it } from 'vitest';
import type { StrataApi } from '../../../shared/ipc/api';
import { chooseTransport } from './connection';

describe('chooseTransport', () => {
  it('uses the preload API inside the desktop app', () => {
    const api = {} as StrataApi;
    expect(chooseTransport({ strata: api, location: { protocol: 'file:', host: '', hash: '' } })).toEqual({ kind: 'electron', api });
  });

  it('opens the host WebSocket with the token from the fragment in a browser', () => {
    expect(chooseTransport({ location: { protocol: 'http:', host: '127.0.0.1:4780', hash: '#token=a+b/c' } })).toEqual({
      kind: 'websocket',
      url: 'ws://127.0.0.1:4780/ipc?token=a%20b%2Fc',
    });
    expect(chooseTransport({ location: { protocol: 'https:', host: 'nas:443', hash: '#token=t' } })).toMatchObject({ url: 'wss://nas:443/ipc?token=t' });
  });

  it('says what to open when there is no token', () => {
    expect(chooseTransport({ location: { protocol: 'http:', host: 'x', hash: '' } })).toMatchObject({ kind: 'none' });
  });
});
