/** What a finished job keeps: one line per item, its status said in words and by icon. */
import { Accordion, AccordionHeader, AccordionItem, AccordionPanel, Link, Text, makeStyles, tokens } from '@fluentui/react-components';
import { CheckmarkCircle20Regular, DismissCircle20Regular, Info20Regular, SubtractCircle20Regular, Warning20Regular } from '@fluentui/react-icons';
import type { JobReport, ReportLine } from '../../jobs/job-store';

const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, maxHeight: '320px', overflowY: 'auto' },
  line: { display: 'grid', gridTemplateColumns: '20px 1fr', columnGap: tokens.spacingHorizontalS, alignItems: 'start' },
  ok: { color: tokens.colorPaletteGreenForeground1 },
  failed: { color: tokens.colorPaletteRedForeground1 },
  warning: { color: tokens.colorPaletteMarigoldForeground1 },
  neutral: { color: tokens.colorNeutralForeground3 },
  detail: { gridColumn: 2, color: tokens.colorNeutralForeground2, whiteSpace: 'pre-wrap', wordBreak: 'break-word' },
  text: { wordBreak: 'break-word' },
});

const STATUS_WORDS: Record<ReportLine['status'], string> = { ok: 'Done', duplicate: 'Already there', failed: 'Failed', warning: 'Done with warnings', info: 'Note' };

function LineIcon({ status }: { status: ReportLine['status'] }) {
  const styles = useStyles();
  const label = STATUS_WORDS[status];
  switch (status) {
    case 'ok':
      return <CheckmarkCircle20Regular className={styles.ok} aria-label={label} role="img" />;
    case 'failed':
      return <DismissCircle20Regular className={styles.failed} aria-label={label} role="img" />;
    case 'warning':
      return <Warning20Regular className={styles.warning} aria-label={label} role="img" />;
    case 'duplicate':
      return <SubtractCircle20Regular className={styles.neutral} aria-label={label} role="img" />;
    case 'info':
      return <Info20Regular className={styles.neutral} aria-label={label} role="img" />;
  }
}

export function JobReportView({ report, open }: { report: JobReport; open?: boolean }) {
  const styles = useStyles();
  const failed = report.lines.filter((l) => l.status === 'failed').length;
  return (
    <>
      {report.download && (
        <Link href={report.download.href} download={report.download.name}>
          Download {report.download.name}
        </Link>
      )}
      {report.lines.length > 0 && (
        <Accordion collapsible defaultOpenItems={open || failed > 0 ? ['lines'] : []}>
          <AccordionItem value="lines">
            <AccordionHeader size="small">
              {report.lines.length === 1 ? 'Details (1 line)' : `Details (${report.lines.length.toLocaleString('en-US')} lines${failed > 0 ? `, ${failed} failed` : ''})`}
            </AccordionHeader>
            <AccordionPanel>
              <ul className={styles.list}>
                {report.lines.map((l, i) => (
                  <li key={i} className={styles.line}>
                    <LineIcon status={l.status} />
                    <Text className={styles.text}>{l.text}</Text>
                    {l.detail && (
                      <Text size={200} className={styles.detail}>
                        {l.detail}
                      </Text>
                    )}
                  </li>
                ))}
              </ul>
            </AccordionPanel>
          </AccordionItem>
        </Accordion>
      )}
    </>
  );
}
