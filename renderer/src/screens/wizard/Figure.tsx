/** One labelled number of a step (disk needed, rows, rate …), as a term and its value. */
import type { ReactNode } from 'react';
import { useWizardStyles } from './wizard-styles';

export function Figure({ label, children }: { label: string; children: ReactNode }) {
  const styles = useWizardStyles();
  return (
    <div className={styles.figure}>
      <dt className={styles.figureLabel}>{label}</dt>
      <dd className={styles.figureValue} style={{ margin: 0 }}>
        {children}
      </dd>
    </div>
  );
}

export function Figures({ children, label }: { children: ReactNode; label: string }) {
  const styles = useWizardStyles();
  return (
    <dl className={styles.figures} aria-label={label} style={{ margin: 0 }}>
      {children}
    </dl>
  );
}
