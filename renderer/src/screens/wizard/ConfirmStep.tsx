/** Step 3: what will happen, said before it does. */
import { Text } from '@fluentui/react-components';
import type { Result } from '../../../../shared/ipc/contract';
import { formatEstimate } from './move-progress';
import { useWizardStyles } from './wizard-styles';

export function ConfirmStep({ from, to, preflight }: { from: string; to: string; preflight: Result<'migration/preflight'> | undefined }) {
  const w = useWizardStyles();
  const reshard = preflight?.kind === 'reshard';
  return (
    <>
      <Text>
        {reshard ? `Re-shard ${from} to ${to}` : `Move the catalog from ${from} to ${to}`}
        {preflight ? `, ${formatEstimate(preflight.estimateMs)}.` : '.'}
      </Text>
      <ol className={w.list}>
        <li>
          <Text>
            <strong>Copy</strong> every table, in batches, with a checkpoint after each: if Strata stops or you cancel, the move resumes from there.
          </Text>
        </li>
        <li>
          <Text>
            <strong>Verify</strong> the copy: row counts and a digest of every table on both sides must agree.
          </Text>
        </li>
        <li>
          <Text>
            <strong>Switch</strong> to the copy in one step. {reshard ? 'Moved rows are then removed from their old shards.' : 'The current store is kept, unchanged, so you can roll back until you remove it.'}
          </Text>
        </li>
      </ol>
      <Text className={w.muted}>While it runs you can browse and search as usual; imports and other changes are refused until it ends, so the copy misses nothing.</Text>
    </>
  );
}
