/** Where the user is in the wizard: five numbered steps, the current one marked for assistive technology too. */
import { Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { CheckmarkCircle20Regular } from '@fluentui/react-icons';

export type WizardStep = 'choose' | 'preflight' | 'confirm' | 'progress' | 'result';
export const STEPS: { id: WizardStep; label: string }[] = [
  { id: 'choose', label: 'Choose' },
  { id: 'preflight', label: 'Check' },
  { id: 'confirm', label: 'Confirm' },
  { id: 'progress', label: 'Move' },
  { id: 'result', label: 'Result' },
];

const useStyles = makeStyles({
  list: { display: 'flex', gap: tokens.spacingHorizontalS, listStyleType: 'none', margin: 0, padding: 0, flexWrap: 'wrap' },
  item: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalS}`,
    borderRadius: tokens.borderRadiusCircular,
    color: tokens.colorNeutralForeground3,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  done: { color: tokens.colorNeutralForeground2 },
  current: { color: tokens.colorNeutralForegroundOnBrand, backgroundColor: tokens.colorBrandBackground, border: `1px solid ${tokens.colorBrandBackground}` },
  number: { fontVariantNumeric: 'tabular-nums' },
});

export function WizardSteps({ current }: { current: WizardStep }) {
  const styles = useStyles();
  const at = STEPS.findIndex((s) => s.id === current);
  return (
    <ol className={styles.list} aria-label="Steps">
      {STEPS.map((s, i) => (
        <li key={s.id} className={mergeClasses(styles.item, i < at && styles.done, i === at && styles.current)} aria-current={i === at ? 'step' : undefined}>
          {i < at ? <CheckmarkCircle20Regular aria-hidden /> : <span className={styles.number}>{i + 1}</span>}
          <Text size={200} weight={i === at ? 'semibold' : 'regular'}>
            {s.label}
            {i < at && <span style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}> (done)</span>}
          </Text>
        </li>
      ))}
    </ol>
  );
}
