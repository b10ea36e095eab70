/**
 * In-app updates as the page sees them: the state main reports on `strata:update`, the two
 * requests the page may make, and the notice that state implies. Only the desktop app has
 * updates: in a browser on the headless host `window.strata.desktop` (and with it `updates`)
 * is absent, the server is updated by whoever runs it, and the page shows nothing.
 */
import { z } from 'zod';
import type { SerializedError } from '../errors';
import { serializedErrorSchema } from './protocol';

/** The channels between main and the preload: main's state event and the page's two requests (no arguments). */
export const UPDATE_CHANNELS = { state: 'strata:update', getState: 'strata:update-state', restart: 'strata:update-restart' } as const;

/** What the updater is doing; `off` says why it never checks (portable, a development run...). */
export type UpdateState =
  | { state: 'off'; reason: string }
  | { state: 'idle'; lastCheckAt: number | null }
  | { state: 'checking' }
  /** Found; `deferred` says why the download waits (a move between tiers is running). */
  | { state: 'available'; version: string; deferred: string | null }
  | { state: 'downloading'; version: string; percent: number }
  | { state: 'ready'; version: string }
  | { state: 'error'; during: 'check' | 'download' | 'install'; version: string | null; error: SerializedError };

/** The answer to "Restart to update": refused (a move runs, nothing is ready) in the one error shape. */
export type RestartAnswer = { ok: true } | { ok: false; error: SerializedError };

/** What `window.strata.desktop.updates` offers the page. */
export interface UpdatesBridge {
  /** The state now (the page may mount after main reported it). */
  state(): Promise<UpdateState>;
  /** Every change of state, from now on. */
  onState(listener: (state: UpdateState) => void): () => void;
  /** Quits and installs the downloaded update, on the user's click only; refused while a move runs. */
  restart(): Promise<RestartAnswer>;
}

const version = z.string().min(1).max(64);

/** Held on the receiving side (the preload) before the page sees a state or an answer. */
export const updateStateSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('off'), reason: z.string() }).strict(),
  z.object({ state: z.literal('idle'), lastCheckAt: z.number().nullable() }).strict(),
  z.object({ state: z.literal('checking') }).strict(),
  z.object({ state: z.literal('available'), version, deferred: z.string().nullable() }).strict(),
  z.object({ state: z.literal('downloading'), version, percent: z.number().min(0).max(100) }).strict(),
  z.object({ state: z.literal('ready'), version }).strict(),
  z.object({ state: z.literal('error'), during: z.enum(['check', 'download', 'install']), version: version.nullable(), error: serializedErrorSchema }).strict(),
]) satisfies z.ZodType<UpdateState>;

export const restartAnswerSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true) }).strict(),
  z.object({ ok: z.literal(false), error: serializedErrorSchema }).strict(),
]) satisfies z.ZodType<RestartAnswer>;

/** The notice the page shows for a state, or null for none. */
export interface UpdateNotice {
  /** What it is about (the state and the version): "Later" hides this notice, not the next one. */
  key: string;
  intent: 'info' | 'success' | 'warning';
  title: string;
  body: string | null;
  /** A download's progress, 0-100. */
  percent: number | null;
  /** "Restart to update" is offered. */
  restart: boolean;
}

/**
 * Checking, finding and failing to check say nothing (a check fails whenever the machine is
 * offline; it is tried again the next day). A download in progress, a ready update and a failed
 * download or install do; "Later" hides that one notice, so a ready update still shows after
 * its download was dismissed.
 */
export function updateNotice(state: UpdateState, dismissedKey: string | null): UpdateNotice | null {
  const notice = ((): UpdateNotice | null => {
    switch (state.state) {
      case 'downloading':
        return { key: `downloading:${state.version}`, intent: 'info', title: `Downloading Strata ${state.version}`, body: `${state.percent}% downloaded; Strata says when it is ready to install.`, percent: state.percent, restart: false };
      case 'ready':
        return { key: `ready:${state.version}`, intent: 'success', title: `Strata ${state.version} is ready`, body: 'Restart Strata to update, now or when it suits you; it also updates the next time it quits.', percent: null, restart: true };
      case 'error':
        if (state.during === 'check' || state.version === null) return null;
        return {
          key: `error:${state.during}:${state.version}`,
          intent: 'warning',
          title: state.during === 'download' ? `Strata ${state.version} could not be downloaded` : `Strata ${state.version} could not be installed`,
          body: state.error.message,
          percent: null,
          restart: false,
        };
      default:
        return null;
    }
  })();
  return notice && notice.key !== dismissedKey ? notice : null;
}
