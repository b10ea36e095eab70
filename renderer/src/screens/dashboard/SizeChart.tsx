/**
 * Size on disk per table (or per shard) as a horizontal bar list. A handful of named categories
 * read best as labelled bars, themed by Fluent's tokens; a canvas chart would add nothing here
 * and lose the text. The list itself is the accessible alternative: each bar is a meter.
 */
import { Text, makeStyles, tokens } from '@fluentui/react-components';
import { formatBytes, formatCount } from '../../../../shared/format';

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'grid', gridTemplateColumns: 'minmax(90px, 150px) 1fr minmax(70px, max-content)', alignItems: 'center', gap: tokens.spacingHorizontalM },
  name: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  track: { height: '12px', borderRadius: tokens.borderRadiusSmall, backgroundColor: tokens.colorNeutralBackground4, overflow: 'hidden' },
  fill: { height: '100%', backgroundColor: tokens.colorBrandBackground, borderRadius: tokens.borderRadiusSmall, minWidth: '2px' },
  problem: { backgroundColor: tokens.colorStatusDangerBackground3 },
  value: { textAlign: 'right', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' },
  note: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

export interface SizeBar {
  name: string;
  bytes: number;
  note?: string;
  problem?: boolean;
}

export function SizeChart({ bars, label }: { bars: SizeBar[]; label: string }) {
  const styles = useStyles();
  const max = Math.max(1, ...bars.map((b) => b.bytes));
  const sorted = [...bars].sort((a, b) => b.bytes - a.bytes);
  return (
    <ul className={styles.list} aria-label={label}>
      {sorted.map((b) => (
        <li key={b.name} className={styles.row}>
          <Text className={styles.name} title={b.name}>
            {b.name}
          </Text>
          <div className={styles.track} role="meter" aria-label={`${b.name}: ${formatBytes(b.bytes)}`} aria-valuemin={0} aria-valuemax={max} aria-valuenow={b.bytes} aria-valuetext={formatBytes(b.bytes)}>
            <div className={`${styles.fill} ${b.problem ? styles.problem : ''}`} style={{ width: `${(b.bytes / max) * 100}%` }} />
          </div>
          <Text className={styles.value}>
            {formatBytes(b.bytes)}
            {b.note && <span className={styles.note}> · {b.note}</span>}
          </Text>
        </li>
      ))}
    </ul>
  );
}

export function barsOf(tables: { name: string; bytes: number }[] | undefined, shards: { index: number; file: string; bytes: number; segments: number | null; problem?: string }[] | undefined): SizeBar[] {
  const bars: SizeBar[] = (tables ?? []).map((t) => ({ name: t.name, bytes: t.bytes }));
  for (const s of shards ?? []) {
    bars.push({ name: `shard ${s.index}`, bytes: s.bytes, note: s.segments === null ? (s.problem ?? 'unreadable') : `${formatCount(s.segments)} seg.`, problem: s.segments === null });
  }
  return bars;
}
