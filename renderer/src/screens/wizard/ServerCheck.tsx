/** The existing server's connection string and its verdict from `server/check`. */
import { Badge, Button, Field, Input, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { CheckmarkCircle20Regular, DismissCircle20Regular, PlugConnected20Regular } from '@fluentui/react-icons';
import type { Result } from '../../../../shared/ipc/contract';
import { ErrorMessage } from '../../errors/ErrorMessage';
import { useServerCheck } from '../../hooks/database';
import { connectionStringProblem } from './tier-options';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-end', flexWrap: 'wrap' },
  input: { flexGrow: 1, minWidth: '280px' },
  verdict: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXXS, margin: 0 },
  term: { color: tokens.colorNeutralForeground2 },
  value: { margin: 0, display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  ok: { color: tokens.colorPaletteGreenForeground1 },
  bad: { color: tokens.colorPaletteRedForeground1 },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

type Verdict = Result<'server/check'>;

function YesNo({ yes, text }: { yes: boolean; text: string }) {
  const styles = useStyles();
  return (
    <dd className={styles.value}>
      {yes ? <CheckmarkCircle20Regular className={styles.ok} aria-hidden /> : <DismissCircle20Regular className={styles.bad} aria-hidden />}
      {text}
    </dd>
  );
}

export function VerdictView({ verdict }: { verdict: Verdict }) {
  const styles = useStyles();
  return (
    <div className={styles.root} aria-live="polite">
      <Text weight="semibold">
        {verdict.server}: {verdict.ok ? <Badge color="success">Ready for Strata</Badge> : <Badge color="danger">Not usable as it is</Badge>}
      </Text>
      <dl className={styles.verdict}>
        <dt className={styles.term}>Reachable</dt>
        <YesNo yes={verdict.reachable} text={verdict.reachable ? 'Yes' : 'No'} />
        <dt className={styles.term}>Version</dt>
        <YesNo yes={verdict.versionSupported} text={verdict.version ? `${verdict.version}${verdict.versionSupported ? '' : ' (too old: 14 or newer is needed)'}` : 'Unknown'} />
        <dt className={styles.term}>May create tables</dt>
        <YesNo yes={verdict.canCreateTables} text={verdict.canCreateTables ? 'Yes' : 'No'} />
        <dt className={styles.term}>Citus</dt>
        <dd className={styles.value}>
          {verdict.citus === 'installed' ? 'Installed: segments will be distributed by file' : verdict.citus === 'available' ? 'Available, not created in this database' : 'Not present: segments in hash partitions'}
        </dd>
      </dl>
      {verdict.problems.length > 0 && (
        <ul className={styles.list} aria-label="Problems">
          {verdict.problems.map((p) => (
            <li key={p} className={styles.bad}>
              {p}
            </li>
          ))}
        </ul>
      )}
      {verdict.notes.length > 0 && (
        <ul className={styles.list} aria-label="Notes">
          {verdict.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function ServerCheck({ url, onUrl, onVerdict }: { url: string; onUrl: (url: string) => void; onVerdict: (v: Verdict | null) => void }) {
  const styles = useStyles();
  const check = useServerCheck();
  const problem = url.trim() === '' ? null : connectionStringProblem(url);
  return (
    <div className={styles.root}>
      <div className={styles.row}>
        <Field
          className={styles.input}
          label="Connection string"
          hint="For example postgresql://strata:password@db.example.com:5432/catalog?sslmode=require. It is kept in the data folder, readable by you only."
          validationState={problem ? 'error' : 'none'}
          validationMessage={problem ?? undefined}
        >
          <Input
            type="password"
            value={url}
            onChange={(_, d) => {
              // onUrl forgets the verdict too: it was about the string before this one.
              onUrl(d.value);
              check.reset();
            }}
            placeholder="postgresql://user:password@host:5432/database"
            autoComplete="off"
          />
        </Field>
        <Button
          icon={check.isPending ? <Spinner size="tiny" /> : <PlugConnected20Regular />}
          disabled={connectionStringProblem(url) !== null || check.isPending}
          onClick={() => check.mutate(url.trim(), { onSuccess: onVerdict, onError: () => onVerdict(null) })}
        >
          Test connection
        </Button>
      </div>
      {check.error && <ErrorMessage error={check.error} />}
      {check.data && <VerdictView verdict={check.data} />}
    </div>
  );
}
