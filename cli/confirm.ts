/**
 * Consent for what cannot be undone. On a terminal the user is asked (y/N, no by default); in
 * a script nobody can answer, so the command refuses unless the line itself says --yes: a
 * script that deletes must say so where its author can read it.
 */
import { StrataError } from '../shared/errors';
import type { StrataApi } from '../shared/ipc/api';
import type { CommandOptions } from './command';

/** The option every destructive command takes. */
export const YES_OPTION: CommandOptions = {
  yes: { type: 'boolean', short: 'y', default: false, description: 'do it without asking (needed when no terminal can answer, as in a script)' },
};

export interface ConfirmIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
}

/**
 * Resolves when the user agreed (or --yes was given); throws `cancelled` when they said no and
 * `invalid-argument` when nobody could be asked. `what` says what will happen, `command` is the
 * line to repeat with --yes.
 */
export async function confirm(what: string, opts: { yes: boolean; command: string; io?: ConfirmIo }): Promise<void> {
  if (opts.yes) return;
  const io = opts.io ?? { input: process.stdin, output: process.stderr };
  if (io.input.isTTY !== true) {
    throw new StrataError('invalid-argument', `${what} Nobody can be asked here (no terminal), so nothing was done: add --yes to do it (${opts.command} --yes).`, { needs: 'yes' });
  }
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: io.input, output: io.output });
  // Ctrl+C at the question is a no, not a half-finished command.
  const answer = await new Promise<string>((resolve) => {
    rl.once('SIGINT', () => resolve(''));
    rl.once('close', () => resolve(''));
    void rl.question(`${what} Go on? [y/N] `).then(resolve, () => resolve(''));
  });
  rl.close();
  if (!/^\s*y(es)?\s*$/iu.test(answer)) {
    throw new StrataError('cancelled', 'Nothing was done (not confirmed).');
  }
}

/**
 * Asks before a change the catalog's manager makes, unless the manager will refuse it anyway
 * (a read-only folder): a question whose yes leads to "read-only" would only be in the way.
 */
export async function confirmChange(api: Pick<StrataApi, 'manager/status'>, ask: (what: string) => Promise<void>, what: string): Promise<void> {
  const { readOnly } = await api['manager/status']({});
  if (!readOnly) await ask(what);
}
