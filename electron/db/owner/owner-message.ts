/** How another process names a data folder's owner to the user. */
import type { OwnerRecord } from '../../../shared/ipc/owner-protocol';
import { StrataError } from '../../../shared/errors';

function since(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const sameDay = at.toDateString() === new Date().toDateString();
  return sameDay ? at.toLocaleTimeString() : at.toLocaleString();
}

export function describeOwner(owner: Pick<OwnerRecord, 'kind' | 'pid' | 'command' | 'started'>): string {
  const who = owner.kind === 'app' ? 'The Strata app' : owner.kind === 'serve' ? 'strata serve' : `strata ${owner.command}`;
  return `${who} (pid ${owner.pid}, since ${since(owner.started)})`;
}

/** A command that needs the folder to itself, refused while another process owns it. */
export function ownedElsewhere(dataDir: string, owner: OwnerRecord, what: string): StrataError {
  const stop = owner.kind === 'app' ? 'quit the app' : owner.kind === 'serve' ? 'stop it with Ctrl+C in its terminal' : 'wait for it to finish';
  return new StrataError(
    'db-locked',
    `${describeOwner(owner)} has the data folder ${dataDir} open. ${what} needs the folder to itself, so it was not started: ${stop}, then run it again.`,
    { owner: { pid: owner.pid, kind: owner.kind, command: owner.command, started: owner.started } },
  );
}
