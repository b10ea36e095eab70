/**
 * The portable PostgreSQL server that ships with Strata: running or not, port, version, folder,
 * and its connection string for psql or another tool, the password masked until revealed.
 */
import { Badge, Button, Field, Input, Skeleton, SkeletonItem, Tooltip, makeStyles, tokens } from '@fluentui/react-components';
import { Copy20Regular, Eye20Regular, EyeOff20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { ErrorMessage } from '../../errors/ErrorMessage';
import { useNotify } from '../../errors/notify';
import { usePortableServer } from '../../hooks/settings';
import { SettingsSection } from './SettingsSection';

const useStyles = makeStyles({
  facts: { display: 'grid', gridTemplateColumns: 'max-content minmax(0, 1fr)', columnGap: tokens.spacingHorizontalXL, rowGap: tokens.spacingVerticalXS, margin: 0 },
  term: { color: tokens.colorNeutralForeground2 },
  value: { margin: 0, fontVariantNumeric: 'tabular-nums', wordBreak: 'break-all' },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  conn: { flexGrow: 1, fontFamily: tokens.fontFamilyMonospace, minWidth: 0 },
});

export function PortableServerSection() {
  const styles = useStyles();
  const notify = useNotify();
  const [reveal, setReveal] = useState(false);
  const { status, connectionString } = usePortableServer(reveal);
  const s = status.data;
  const copy = async (): Promise<void> => {
    try {
      const text = await connectionString();
      if (!text) return;
      await navigator.clipboard.writeText(text);
      notify.success('Connection string copied', 'It holds the server’s password: paste it only where you trust.');
    } catch (error) {
      notify.error(error);
    }
  };
  return (
    <SettingsSection
      title="Portable PostgreSQL server"
      about="Strata ships a real PostgreSQL server for catalogs that outgrow SQLite files. It runs only while the catalog is on it, listens on this computer alone (127.0.0.1), and other tools such as psql can read the catalog through the connection string below."
    >
      {status.error ? (
        <ErrorMessage error={status.error} onRetry={() => void status.refetch()} />
      ) : !s ? (
        <Skeleton aria-label="Reading the server’s status">
          <SkeletonItem size={16} />
          <SkeletonItem size={16} />
        </Skeleton>
      ) : (
        <>
          <dl className={styles.facts}>
            <dt className={styles.term}>Status</dt>
            <dd className={styles.value}>
              <Badge appearance="tint" color={s.running ? 'success' : 'informative'}>
                {s.running ? 'Running' : s.installed ? 'Stopped' : 'Not set up yet'}
              </Badge>{' '}
              {s.inUse ? 'The catalog is on this server.' : s.installed ? 'The catalog is not on this server now.' : 'It is set up the first time the catalog moves to it (Upgrade database).'}
            </dd>
            <dt className={styles.term}>Port</dt>
            <dd className={styles.value}>{s.port ?? '—'}</dd>
            <dt className={styles.term}>Version</dt>
            <dd className={styles.value}>{s.version ? `PostgreSQL ${s.version}` : '—'}</dd>
            <dt className={styles.term}>Folder</dt>
            <dd className={styles.value}>{s.dataFolder}</dd>
          </dl>
          {s.connectionString && (
            <Field label="Connection string" hint={s.revealed ? 'The password is shown. Hide it before sharing your screen.' : 'The password is hidden.'}>
              <div className={styles.row}>
                <Input className={styles.conn} value={s.connectionString} readOnly aria-label="Connection string" />
                <Tooltip content={s.revealed ? 'Hide the password' : 'Show the password'} relationship="label">
                  <Button icon={s.revealed ? <EyeOff20Regular /> : <Eye20Regular />} onClick={() => setReveal(!s.revealed)} aria-pressed={s.revealed} />
                </Tooltip>
                <Button icon={<Copy20Regular />} onClick={() => void copy()}>
                  Copy
                </Button>
              </div>
            </Field>
          )}
        </>
      )}
    </SettingsSection>
  );
}
