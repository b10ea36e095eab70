/**
 * One file: its details (what the catalog knows, the NZB it came from) and its segments, with
 * the actions a user takes on a file (export an NZB, copy message-ids).
 */
import { Button, Divider, Skeleton, SkeletonItem, Text, Toolbar, ToolbarButton, Tooltip, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowExportUp20Regular, Copy20Regular, Dismiss20Regular } from '@fluentui/react-icons';
import { useState, type ReactNode } from 'react';
import type { FileDetail } from '../../../../shared/domain';
import { formatBytes, formatCount } from '../../../../shared/format';
import { ErrorMessage } from '../../errors/ErrorMessage';
import { useNotify } from '../../errors/notify';
import { useExportNzb, useFile, useMessageIds } from '../../hooks/library';
import { formatDate } from './format';
import { SegmentList } from './SegmentList';
import { StateBadge } from './StateBadge';

const useStyles = makeStyles({
  panel: {
    display: 'flex',
    flexDirection: 'column',
    minHeight: 0,
    height: '100%',
    backgroundColor: tokens.colorNeutralBackground1,
  },
  head: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM} 0 ${tokens.spacingHorizontalL}`,
  },
  title: { flexGrow: 1, minWidth: 0, wordBreak: 'break-word', fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400, lineHeight: tokens.lineHeightBase400 },
  details: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    margin: 0,
    fontSize: tokens.fontSizeBase200,
    overflowY: 'auto',
    maxHeight: '42%',
    flexShrink: 0,
  },
  term: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, minWidth: 0, overflowWrap: 'anywhere' },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  numeric: { fontVariantNumeric: 'tabular-nums' },
  segmentsHead: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM} 0 ${tokens.spacingHorizontalL}`,
  },
  // Fluent's Divider grows by default; here it is only a line between details and segments.
  divider: { flexGrow: 0 },
  skeleton: { display: 'grid', gap: tokens.spacingVerticalS, padding: tokens.spacingHorizontalL },
});

export function FilePanel({ fileId, onClose }: { fileId: number; onClose: () => void }) {
  const styles = useStyles();
  const file = useFile(fileId);
  const [selectedSegments, setSelectedSegments] = useState<ReadonlySet<number>>(new Set());
  const exportNzb = useExportNzb();
  const messageIds = useMessageIds();
  const notify = useNotify();
  const f = file.data;

  const copy = async (numbers?: ReadonlySet<number>): Promise<void> => {
    try {
      const ids = await messageIds([fileId], numbers);
      await navigator.clipboard.writeText(ids.join('\n'));
      notify.success(ids.length === 1 ? 'Message-id copied' : `${formatCount(ids.length)} message-ids copied`, 'One a line, ready to paste.');
    } catch (e) {
      notify.error(e);
    }
  };

  return (
    <section
      className={styles.panel}
      aria-label={f ? `File ${f.name}` : 'File'}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented) onClose();
      }}
    >
      <div className={styles.head}>
        <Text as="h2" className={styles.title}>
          {f?.name ?? 'Reading the file…'}
        </Text>
        <Tooltip content="Close the file panel" relationship="label">
          <Button appearance="subtle" icon={<Dismiss20Regular />} onClick={onClose} />
        </Tooltip>
      </div>
      {f && (
        <Toolbar aria-label="File actions" size="small">
          <ToolbarButton
            icon={<ArrowExportUp20Regular />}
            onClick={() => void exportNzb({ collectionId: f.collectionId, path: f.relPath, name: f.name, files: 1 }).catch((e: unknown) => notify.error(e))}
          >
            Export NZB
          </ToolbarButton>
          <ToolbarButton icon={<Copy20Regular />} onClick={() => void copy()}>
            Copy all message-ids
          </ToolbarButton>
        </Toolbar>
      )}
      {file.error && <ErrorMessage error={file.error} onRetry={() => void file.refetch()} />}
      {file.isPending && (
        <Skeleton className={styles.skeleton} aria-label="Reading the file">
          <SkeletonItem size={16} />
          <SkeletonItem size={16} />
          <SkeletonItem size={16} />
        </Skeleton>
      )}
      {f && <Details file={f} />}
      <Divider className={styles.divider} />
      <div className={styles.segmentsHead}>
        <Text weight="semibold">Segments{f ? ` (${formatCount(f.segmentCount)})` : ''}</Text>
        <Button size="small" appearance="subtle" icon={<Copy20Regular />} disabled={selectedSegments.size === 0} onClick={() => void copy(selectedSegments)}>
          Copy selected{selectedSegments.size > 0 ? ` (${formatCount(selectedSegments.size)})` : ''}
        </Button>
      </div>
      <SegmentList key={fileId} fileId={fileId} total={f?.segmentCount ?? null} selected={selectedSegments} onSelected={setSelectedSegments} />
    </section>
  );
}

function Details({ file }: { file: FileDetail }) {
  const styles = useStyles();
  const meta = file.metadata ?? {};
  const rows: [string, ReactNode][] = [
    ['Path', file.relPath],
    ['Size', `${formatBytes(file.size)} (${formatCount(file.size)} bytes)`],
    ['State', <StateBadge key="s" state={file.state} />],
    [
      'Segments',
      `${formatCount(file.segmentCount)} · ${formatCount(file.uploadedCount)} uploaded · ${formatCount(file.missingCount)} missing${file.duplicateCount ? ` · ${formatCount(file.duplicateCount)} duplicate` : ''}`,
    ],
    ['Segment bytes', formatBytes(file.bytes)],
  ];
  if (file.contentHash) rows.push(['Hash', <span key="h" className={styles.mono}>{file.contentHash}</span>]);
  if (file.subject) rows.push(['Subject', file.subject]);
  if (file.poster) rows.push(['Poster', file.poster]);
  if (file.postedAt !== null) rows.push(['Posted', formatDate(file.postedAt)]);
  if (file.mtime !== null) rows.push(['Modified', formatDate(file.mtime)]);
  if (file.groups.length > 0) rows.push(['Groups', file.groups.join(', ')]);
  for (const [key, value] of Object.entries(meta)) {
    if (value === null || value === undefined || value === '') continue;
    rows.push([labelOf(key), typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value)]);
  }
  return (
    <dl className={styles.details}>
      {rows.map(([term, value]) => (
        <div key={term} style={{ display: 'contents' }}>
          <dt className={styles.term}>{term}</dt>
          <dd className={styles.value}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A metadata key as a label: "nzbTitle" -> "Nzb title", "dupe_key" -> "Dupe key". */
function labelOf(key: string): string {
  const words = key.replace(/([a-z])([A-Z])/gu, '$1 $2').replace(/[_-]+/gu, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
