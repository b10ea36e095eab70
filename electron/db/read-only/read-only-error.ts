/** The one answer to a change asked of a data folder opened read-only. */
import { StrataError } from '../../../shared/errors';
import type { ReadOnlyState } from '../../../shared/manager';

export function readOnlyRefusal(dataDir: string, state: ReadOnlyState, what: string): StrataError {
  return new StrataError(
    'read-only',
    `The data folder ${dataDir} is read-only (${state.path} cannot be written: ${state.reason}), so "${what}" is refused; browsing, searching, checking and exporting NZBs to another folder work. To change the catalog, copy the data folder somewhere you may write and open the copy, or make this folder writable.`,
    { dataDir, path: state.path, reason: state.reason },
  );
}
