/** The bottom line of the window: which store, how much it holds, what is running. */
import { Text, makeStyles, tokens } from '@fluentui/react-components';
import { formatBytes } from '../../../shared/format';
import { useCatalogStats } from '../hooks/catalog';
import { useRunningJobCount } from '../jobs/JobsContext';
import type { DbStatus } from './use-db-status';

const useStyles = makeStyles({
  bar: {
    display: 'flex',
    gap: tokens.spacingHorizontalL,
    alignItems: 'center',
    padding: `0 ${tokens.spacingHorizontalM}`,
    minHeight: '26px',
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
    color: tokens.colorNeutralForeground2,
    overflow: 'hidden',
    whiteSpace: 'nowrap',
  },
  spacer: { flexGrow: 1 },
});

const ENGINE_NAMES: Record<string, string> = { sqlite: 'one SQLite file', sharded: 'sharded SQLite', pglite: 'embedded PostgreSQL', postgres: 'PostgreSQL server' };

export function StatusBar({ status }: { status: DbStatus }) {
  const styles = useStyles();
  const stats = useCatalogStats();
  const running = useRunningJobCount();
  const s = stats.data;
  return (
    <footer className={styles.bar} aria-label="Status">
      {s ? (
        <>
          <Text size={200}>
            Tier {s.tier} · {ENGINE_NAMES[s.engine] ?? s.engine}
          </Text>
          <Text size={200}>{s.files.toLocaleString()} files</Text>
          <Text size={200}>{s.segments.toLocaleString()} segments</Text>
          <Text size={200}>{formatBytes(s.bytes)} catalogued</Text>
          <Text size={200}>{formatBytes(s.dbBytes)} on disk</Text>
        </>
      ) : (
        <Text size={200}>Reading the catalog…</Text>
      )}
      <span className={styles.spacer} />
      {running > 0 && <Text size={200}>{running === 1 ? '1 job running' : `${running} jobs running`}</Text>}
      <Text size={200}>{status.state === 'ready' ? 'Connected' : status.state === 'stopped' ? 'Disconnected' : 'Reconnecting…'}</Text>
    </footer>
  );
}
