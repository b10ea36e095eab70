/** The catalog in numbers: tier and engine, counts, sizes, growth and free disk. */
import { Text, makeStyles, tokens } from '@fluentui/react-components';
import { formatBytes, formatCount } from '../../../../shared/format';
import type { Result } from '../../../../shared/ipc/contract';
import type { ManagerStatus } from '../../../../shared/manager';

const useStyles = makeStyles({
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(140px, 1fr))', gap: tokens.spacingHorizontalM, margin: 0 },
  tile: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
    minWidth: 0,
  },
  label: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  value: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, fontVariantNumeric: 'tabular-nums', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  sub: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

function Tile({ label, value, sub }: { label: string; value: string; sub?: string }) {
  const styles = useStyles();
  return (
    <div className={styles.tile}>
      <dt className={styles.label}>{label}</dt>
      <dd className={styles.value} title={value}>
        {value}
      </dd>
      {sub && <Text className={styles.sub}>{sub}</Text>}
    </div>
  );
}

export function SummaryCards({ stats, status, freeBytes }: { stats: Result<'catalog/stats'>; status: ManagerStatus; freeBytes: number | null }) {
  const styles = useStyles();
  const growth = status.live.segmentsAddedPerDay;
  return (
    <dl className={styles.grid} aria-label="Catalog figures">
      <Tile label="Collections" value={formatCount(stats.collections)} sub={`${formatCount(stats.folders)} folders`} />
      <Tile label="Files" value={formatCount(stats.files)} />
      <Tile label="Segments" value={formatCount(stats.segments)} sub={`${formatBytes(stats.bytes)} catalogued`} />
      <Tile label="Size on disk" value={formatBytes(stats.dbBytes)} />
      <Tile label="Growth" value={growth > 0 ? `${formatCount(growth)}/day` : 'Steady'} sub={growth > 0 ? 'segments, over the last week' : 'from size samples'} />
      <Tile label="Free disk" value={freeBytes === null ? '—' : formatBytes(freeBytes)} sub="beside the catalog" />
    </dl>
  );
}
