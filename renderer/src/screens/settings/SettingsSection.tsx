/** One group of settings: a heading, a sentence on what it is for, its controls. */
import { Text, makeStyles, tokens } from '@fluentui/react-components';
import { useId, type ReactNode } from 'react';

const useStyles = makeStyles({
  flat: { margin: 0 },
  section: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL}`,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  about: { color: tokens.colorNeutralForeground2, marginTop: `calc(-1 * ${tokens.spacingVerticalS})` },
});

export function SettingsSection({ title, about, children }: { title: string; about?: string; children: ReactNode }) {
  const styles = useStyles();
  const id = useId();
  return (
    <section className={styles.section} aria-labelledby={id}>
      <Text as="h3" id={id} size={400} weight="semibold" className={styles.flat}>
        {title}
      </Text>
      {about && <Text className={styles.about}>{about}</Text>}
      {children}
    </section>
  );
}
