/** Step 5: how the move ended: verification per table and time, or the error in its own words. */
import { Badge, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import { formatCount } from '../../../../shared/format';
import type { MoveOutcome } from '../../hooks/database';
import { ErrorMessage } from '../../errors/ErrorMessage';
import { digestParts, formatDuration } from './move-progress';
import { describeStore } from './tier-options';
import { useWizardStyles } from './wizard-styles';

const useStyles = makeStyles({
  table: { maxWidth: '720px' },
  digest: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, whiteSpace: 'nowrap' },
  digestPart: { display: 'block' },
});

export function ResultStep({ outcome }: { outcome: MoveOutcome }) {
  const styles = useStyles();
  const w = useWizardStyles();
  if (outcome.error) return <ErrorMessage error={outcome.error} />;
  const r = outcome.result;
  if (!r) return null;
  return (
    <>
      <Text size={400} weight="semibold">
        {r.kind === 'reshard' ? `Re-sharded: ${formatCount(r.rows)} segments moved` : `The catalog is on ${describeStore(r.to)} now`}
      </Text>
      <Text>
        {formatCount(r.rows)} rows in {formatDuration(r.elapsedMs)}
        {r.resumed ? ', resumed from its checkpoints' : ''}. {r.verified ? 'Every table was verified against the source before the switch.' : 'Verification did not pass.'}{' '}
        <Badge color={r.verified ? 'success' : 'danger'}>{r.verified ? 'Verified' : 'Not verified'}</Badge>
      </Text>
      {r.tables.length > 0 && (
        <Table className={styles.table} size="small" aria-label="Verification per table">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Table</TableHeaderCell>
              <TableHeaderCell className={w.num}>Rows</TableHeaderCell>
              <TableHeaderCell>Digest (both sides)</TableHeaderCell>
              <TableHeaderCell>Verified</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {r.tables.map((t) => (
              <TableRow key={t.table}>
                <TableCell>{t.table}</TableCell>
                <TableCell className={w.num}>{formatCount(t.rows)}</TableCell>
                <TableCell className={styles.digest}>
                  {digestParts(t.digest).map((part) => (
                    <span key={part} className={styles.digestPart}>
                      {part}
                    </span>
                  ))}
                </TableCell>
                <TableCell>{r.verified ? 'Yes' : 'No'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}
