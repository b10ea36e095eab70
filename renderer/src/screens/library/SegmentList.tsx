/**
 * A file's segments (number, bytes, message-id, state), virtualized and read a page at a time
 * as the list scrolls; selectable (click, Ctrl, Shift, arrows with Space) to copy message-ids.
 */
import { Spinner, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Segment } from '../../../../shared/domain';
import { formatBytes, formatCount } from '../../../../shared/format';
import { ErrorMessage } from '../../errors/ErrorMessage';
import { useSegments } from '../../hooks/library';
import { moveFor, nextFocus } from './grid-keys';
import { StateBadge } from './StateBadge';

const ROW = 28;
const COLUMNS = '56px 84px minmax(120px, 1fr) 104px';

const useStyles = makeStyles({
  grid: { display: 'flex', flexDirection: 'column', flexGrow: 1, minHeight: '120px', outline: 'none', margin: `${tokens.spacingVerticalXS} 0 0` },
  focused: { ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' } },
  header: {
    display: 'grid',
    gridTemplateColumns: COLUMNS,
    fontWeight: tokens.fontWeightSemibold,
    fontSize: tokens.fontSizeBase200,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    paddingRight: '12px',
    color: tokens.colorNeutralForeground2,
  },
  scroller: { overflowY: 'auto', flexGrow: 1, minHeight: 0, contain: 'strict' },
  row: {
    position: 'absolute',
    left: 0,
    right: 0,
    height: `${ROW}px`,
    display: 'grid',
    gridTemplateColumns: COLUMNS,
    alignItems: 'center',
    fontSize: tokens.fontSizeBase200,
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    userSelect: 'none',
    ':hover': { backgroundColor: tokens.colorSubtleBackgroundHover },
  },
  selected: { backgroundColor: tokens.colorSubtleBackgroundSelected, ':hover': { backgroundColor: tokens.colorSubtleBackgroundSelected } },
  active: { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  cell: { padding: `0 ${tokens.spacingHorizontalS}`, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  numeric: { textAlign: 'right', fontVariantNumeric: 'tabular-nums' },
  mono: { fontFamily: tokens.fontFamilyMonospace },
  note: { padding: tokens.spacingHorizontalL, color: tokens.colorNeutralForeground3, display: 'flex', gap: tokens.spacingHorizontalS },
});

export interface SegmentListProps {
  fileId: number;
  total: number | null;
  selected: ReadonlySet<number>;
  onSelected: (selected: ReadonlySet<number>) => void;
}

export function SegmentList({ fileId, total, selected, onSelected }: SegmentListProps) {
  const styles = useStyles();
  const id = useId();
  const pages = useSegments(fileId);
  const segments: Segment[] = pages.data?.pages.flat() ?? [];
  const scrollRef = useRef<HTMLDivElement>(null);
  const [focus, setFocus] = useState<number | null>(null);
  const [anchor, setAnchor] = useState<number | null>(null);
  const count = pages.hasNextPage ? Math.max(total ?? 0, segments.length + 1) : segments.length;
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scrollRef.current, estimateSize: () => ROW, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (last >= segments.length - 1 && pages.hasNextPage && !pages.isFetchingNextPage) void pages.fetchNextPage();
  }, [last, segments.length, pages]);

  const select = (index: number, ctrl: boolean, shift: boolean): void => {
    const seg = segments[index];
    if (!seg) return;
    if (shift && anchor !== null) {
      const [a, b] = anchor < index ? [anchor, index] : [index, anchor];
      const next = new Set(ctrl ? selected : []);
      for (let i = a; i <= b; i++) {
        const s = segments[i];
        if (s) next.add(s.number);
      }
      onSelected(next);
      return;
    }
    const next = new Set(ctrl ? selected : []);
    if (ctrl && selected.has(seg.number)) next.delete(seg.number);
    else next.add(seg.number);
    setAnchor(index);
    onSelected(next);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const move = moveFor(e.key);
    const ctrl = e.ctrlKey || e.metaKey;
    if (move) {
      e.preventDefault();
      const to = nextFocus(focus, move, Math.min(count, segments.length), Math.floor((scrollRef.current?.clientHeight ?? 300) / ROW));
      if (to === null) return;
      setFocus(to);
      virtualizer.scrollToIndex(to);
      if (e.shiftKey) select(to, ctrl, true);
    } else if (e.key === ' ' && focus !== null) {
      e.preventDefault();
      select(focus, true, false);
    } else if (ctrl && (e.key === 'a' || e.key === 'A')) {
      e.preventDefault();
      onSelected(new Set(segments.map((s) => s.number)));
    }
  };

  if (pages.error) return <ErrorMessage error={pages.error} onRetry={() => void pages.refetch()} />;
  if (pages.isPending) {
    return (
      <div className={styles.note}>
        <Spinner size="extra-tiny" /> <Text>Reading segments…</Text>
      </div>
    );
  }
  if (segments.length === 0) return <Text className={styles.note}>This file has no segments.</Text>;
  return (
    <div
      role="grid"
      aria-label="Segments"
      aria-rowcount={(total ?? count) + 1}
      aria-multiselectable
      aria-activedescendant={focus !== null ? `${id}-s-${focus}` : undefined}
      tabIndex={0}
      className={mergeClasses(styles.grid, styles.focused)}
      onKeyDown={onKeyDown}
      onFocus={() => focus === null && setFocus(0)}
    >
      <div role="row" aria-rowindex={1} className={styles.header}>
        <span role="columnheader" className={mergeClasses(styles.cell, styles.numeric)}>
          #
        </span>
        <span role="columnheader" className={mergeClasses(styles.cell, styles.numeric)}>
          Bytes
        </span>
        <span role="columnheader" className={styles.cell}>
          Message-id
        </span>
        <span role="columnheader" className={styles.cell}>
          State
        </span>
      </div>
      <div ref={scrollRef} className={styles.scroller}>
        <div role="rowgroup" style={{ height: `${virtualizer.getTotalSize()}px`, position: 'relative' }}>
          {items.map((v) => {
            const s = segments[v.index];
            const isSel = s !== undefined && selected.has(s.number);
            return (
              <div
                key={v.index}
                id={`${id}-s-${v.index}`}
                role="row"
                aria-rowindex={v.index + 2}
                aria-selected={isSel}
                className={mergeClasses(styles.row, isSel && styles.selected, focus === v.index && styles.active)}
                style={{ transform: `translateY(${v.start}px)` }}
                onMouseDown={(e) => {
                  if (e.button !== 0) return;
                  setFocus(v.index);
                  select(v.index, e.ctrlKey || e.metaKey, e.shiftKey);
                }}
              >
                {s ? (
                  <>
                    <span role="gridcell" className={mergeClasses(styles.cell, styles.numeric)}>
                      {formatCount(s.number)}
                    </span>
                    <span role="gridcell" className={mergeClasses(styles.cell, styles.numeric)}>
                      {formatBytes(s.bytes)}
                    </span>
                    <span role="gridcell" className={mergeClasses(styles.cell, styles.mono)} title={s.messageId ?? undefined}>
                      {s.messageId ?? '—'}
                    </span>
                    <span role="gridcell" className={styles.cell}>
                      <StateBadge state={s.state} />
                    </span>
                  </>
                ) : (
                  <span role="gridcell" className={styles.cell}>
                    Reading…
                  </span>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
