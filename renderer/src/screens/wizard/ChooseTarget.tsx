/** Step 1: where the catalog should live. Each option says what it is, when it pays and what it costs. */
import { Badge, Radio, RadioGroup, SpinButton, Field, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { Result } from '../../../../shared/ipc/contract';
import { ServerCheck } from './ServerCheck';
import { TIER_OPTIONS, availability, type AvailabilityInput, type TierOptionId } from './tier-options';

const useStyles = makeStyles({
  group: { display: 'flex', flexDirection: 'column', alignItems: 'stretch', gap: tokens.spacingVerticalS },
  option: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    boxSizing: 'border-box',
    width: '100%',
  },
  selected: { border: `1px solid ${tokens.colorBrandStroke1}`, backgroundColor: tokens.colorNeutralBackground1Selected },
  disabled: { color: tokens.colorNeutralForegroundDisabled },
  label: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  details: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXXS,
    margin: `0 0 0 ${tokens.spacingHorizontalXXL}`,
  },
  term: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  def: { margin: 0, fontSize: tokens.fontSizeBase200 },
  extra: { marginLeft: tokens.spacingHorizontalXXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  reason: { marginLeft: tokens.spacingHorizontalXXL, color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  shards: { maxWidth: '200px' },
});

export interface Choice {
  option: TierOptionId;
  shards: number;
  url: string;
  verdict: Result<'server/check'> | null;
}

export function ChooseTarget({ choice, onChange, input, currentShards }: { choice: Choice; onChange: (c: Choice) => void; input: AvailabilityInput; currentShards: number | null }) {
  const styles = useStyles();
  return (
    <RadioGroup
      className={styles.group}
      value={choice.option}
      onChange={(_, d) => onChange({ ...choice, option: d.value as TierOptionId })}
      aria-label="Where the catalog should live"
    >
      {TIER_OPTIONS.map((o) => {
        const a = availability(o.id, input);
        const selected = choice.option === o.id;
        const disabled = a.disabledReason !== null;
        return (
          <div key={o.id} className={mergeClasses(styles.option, selected && styles.selected, disabled && styles.disabled)}>
            <Radio
              value={o.id}
              disabled={disabled}
              label={
                <span className={styles.label}>
                  <Text weight="semibold">{o.title}</Text>
                  <Text size={200}>{o.tier}</Text>
                  {a.current && <Badge appearance="outline" color="informative">{o.id === 'sharded' && currentShards ? `Current · ${currentShards} shards` : 'Current'}</Badge>}
                  {a.recommended && <Badge appearance="filled" color="brand">Recommended</Badge>}
                </span>
              }
            />
            {disabled && <Text className={styles.reason}>{a.disabledReason}</Text>}
            <dl className={styles.details}>
              <dt className={styles.term}>What it is</dt>
              <dd className={styles.def}>{o.what}</dd>
              <dt className={styles.term}>When it pays</dt>
              <dd className={styles.def}>{o.pays}</dd>
              <dt className={styles.term}>What it costs</dt>
              <dd className={styles.def}>{o.costs}</dd>
            </dl>
            {selected && o.id === 'sharded' && (
              <div className={styles.extra}>
                <Field
                  className={styles.shards}
                  label="Number of shards"
                  hint={a.current ? 'Another count re-shards in place: only the segments whose shard changes move.' : 'Two per core measured best.'}
                >
                  <SpinButton value={choice.shards} min={1} max={64} onChange={(_, d) => {
                    const v = d.value ?? Number(d.displayValue);
                    if (Number.isInteger(v) && v >= 1 && v <= 64) onChange({ ...choice, shards: v });
                  }} />
                </Field>
              </div>
            )}
            {selected && o.id === 'existing' && (
              <div className={styles.extra}>
                <ServerCheck url={choice.url} onUrl={(url) => onChange({ ...choice, url, verdict: null })} onVerdict={(verdict) => onChange({ ...choice, verdict })} />
              </div>
            )}
          </div>
        );
      })}
    </RadioGroup>
  );
}
