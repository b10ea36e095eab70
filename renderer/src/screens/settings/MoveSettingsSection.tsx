/** The database manager's move policy and shared access (manager/settings), in plain words. */
import { Skeleton, SkeletonItem, Switch, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ManagerSettings } from '../../../../shared/manager';
import { ErrorMessage } from '../../errors/ErrorMessage';
import { useNotify } from '../../errors/notify';
import { useManagerSettings } from '../../hooks/settings';
import { SettingsSection } from './SettingsSection';

const useStyles = makeStyles({
  item: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  hint: { color: tokens.colorNeutralForeground2, paddingLeft: '44px' },
});

export function MoveSettingsSection() {
  const styles = useStyles();
  const notify = useNotify();
  const { settings, error, update } = useManagerSettings();
  const set = (patch: Partial<ManagerSettings>): void => update.mutate(patch, { onError: (e) => notify.error(e) });
  const pending = update.isPending ? { ...settings, ...update.variables } : settings;
  return (
    <SettingsSection
      title="Database moves"
      about="As the catalog grows, Strata may advise moving it to a layout that suits its size. Moves copy and verify everything before switching, and the previous store is kept until you remove it."
    >
      {error ? (
        <ErrorMessage error={error} />
      ) : !pending ? (
        <Skeleton aria-label="Reading the settings">
          <SkeletonItem size={24} />
          <SkeletonItem size={24} />
        </Skeleton>
      ) : (
        <>
          <div className={styles.item}>
            <Switch
              checked={pending.simpleMoves === 'automatic'}
              onChange={(_, d) => set({ simpleMoves: d.checked ? 'automatic' : 'ask' })}
              label="Make simple moves by themselves"
            />
            <Text size={200} className={styles.hint}>
              Moves that need nothing installed (one SQLite file to sharded files, or more shards) run at a quiet moment, announced with a banner you can cancel. Off: Strata asks first.
            </Text>
          </div>
          <div className={styles.item}>
            <Switch checked={pending.otherMoves === 'automatic'} onChange={(_, d) => set({ otherMoves: d.checked ? 'automatic' : 'ask' })} label="Make moves to PostgreSQL and downgrades by themselves" />
            <Text size={200} className={styles.hint}>
              These start a database server or change what the catalog needs, so Strata normally asks before each one.
            </Text>
          </div>
          <div className={styles.item}>
            <Switch checked={pending.sharedAccess} onChange={(_, d) => set({ sharedAccess: d.checked })} label="Other programs or computers use this catalog" />
            <Text size={200} className={styles.hint}>
              Only a PostgreSQL server lets several programs read and write the catalog at once; with this on, Strata takes that into account when it advises a move.
            </Text>
          </div>
        </>
      )}
    </SettingsSection>
  );
}
