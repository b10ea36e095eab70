/**
 * The files of a place, as a grid a screen reader can follow (aria-rowcount, aria-rowindex,
 * aria-selected; the grid keeps focus and names the active row with aria-activedescendant, so a
 * focused row scrolled out of the window never takes the focus with it). Rows are fixed height
 * and virtualized; the scrollbar spans the whole list (scaled past what a browser can hold, see
 * scroll-scale.ts) and the pager reads the pages on screen.
 */
import { Button, Spinner, Text, makeStyles, mergeClasses, tokens, type Theme } from '@fluentui/react-components';
import { ArrowSortDown16Regular, ArrowSortUp16Regular } from '@fluentui/react-icons';
import { memo, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { FileEntry, FileState } from '../../../../shared/domain';
import { formatBytes, formatCount } from '../../../../shared/format';
import { useTheme } from '../../app/theme';
import { ErrorMessage } from '../../errors/ErrorMessage';
import { fileSorts, usePagerVersion, type FileSort } from '../../hooks/library';
import type { FilePager, SortDirection } from './file-pager';
import { formatDate } from './format';
import { moveFor, nextFocus } from './grid-keys';
import { placeRows, revealRows, slotCount } from './row-slots';
import { EMPTY_SELECTION, clickRow, isSelected, selectAll, type Selection } from './selection';
import { STATE_LABELS } from './StateBadge';
import { useScaledRows } from './use-scaled-rows';
import { useWidth } from './use-width';

export const ROW_HEIGHT = 32;
const HEADER_HEIGHT = 32;
// Segments is 100 px: its header with the sort arrow ("Segments ↓") is clipped in less.
const COLUMNS = 'minmax(220px, 1fr) 92px 100px 112px 156px';
/** Below this width the Posted column goes, so the name keeps its room (1024x768 with a panel). */
const COMPACT_BELOW = 680;
const COMPACT_COLUMNS = 'minmax(160px, 1fr) 88px 100px 108px';
/** Rows drawn beyond each edge of the view: enough for a key press, few enough to render fast. */
const OVERSCAN = 4;
/**
 * Rows that may take a new file in one render (about a third of a window): a jump's new rows
 * fill in over three or four frames, each laid out and painted in a fraction of the time a
 * whole window takes (see revealRows). At 16 a frame of a jump still cost the page 20-25 ms of
 * its main thread's CPU (style, layout, pre-paint and paint of ~18 rows), stretched past 50 ms
 * of wall time while a move shared the two cores.
 */
const NEW_ROWS_PER_FRAME = 8;

/**
 * The state in a row: the look of the panel's Fluent Badge (tint, rounded, small caption text, a
 * 16 px icon before the word) in one span with its text, the icon drawn as the span's background.
 * The Badge is five elements, a pseudo-element and an svg tree per state; a row is laid out,
 * pre-painted and painted again whenever its file changes, and what it costs is its elements.
 * Paths: Fluent's CheckmarkCircle16, CircleHalfFill16, DismissCircle16, Circle16 and
 * Document20 (Regular), drawn in the theme's colours (see iconVariables).
 */
const STATE_ICON_PATHS: Record<FileState, string> = {
  uploaded: 'M2 8a6 6 0 1 1 12 0A6 6 0 0 1 2 8m6-7a7 7 0 1 0 0 14A7 7 0 0 0 8 1m2.85 5.85a.5.5 0 0 0-.7-.7l-2.9 2.9-1.4-1.4a.5.5 0 1 0-.7.7L6.9 10.1c.2.2.5.2.7 0z',
  partial: 'M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1m0 1a6 6 0 0 0-6 6h12a6 6 0 0 0-6-6',
  missing: 'M2 8a6 6 0 1 1 12 0A6 6 0 0 1 2 8m6-7a7 7 0 1 0 0 14A7 7 0 0 0 8 1M6.35 5.65a.5.5 0 1 0-.7.7L7.29 8 5.65 9.65a.5.5 0 0 0 .7.7L8 8.71l1.65 1.64a.5.5 0 0 0 .7-.7L8.71 8l1.64-1.65a.5.5 0 0 0-.7-.7L8 7.29z',
  indexed: 'M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1m0 1a6 6 0 1 0 0 12A6 6 0 0 0 8 2',
};
const FILE_ICON_PATH =
  'M6 2a2 2 0 0 0-2 2v12c0 1.1.9 2 2 2h8a2 2 0 0 0 2-2V7.41c0-.4-.16-.78-.44-1.06l-3.91-3.91A1.5 1.5 0 0 0 10.59 2zM5 4a1 1 0 0 1 1-1h4v3.5c0 .83.67 1.5 1.5 1.5H15v8a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1zm9.8 3h-3.3a.5.5 0 0 1-.5-.5V3.2z';

const svgUrl = (path: string, size: number, colour: string): string =>
  `url("data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}"><path fill="${colour}" d="${path}"/></svg>`)}")`;

/**
 * An icon as a bitmap (drawn twice its size, for screens that scale by 2): a row paints it as a
 * copy of pixels, where an SVG image is drawn again, path by path, at every paint of every row.
 * Falls back to the SVG where there is no canvas.
 */
function iconUrl(path: string, size: number, colour: string): string {
  const scale = 2;
  const canvas = typeof document === 'undefined' ? null : document.createElement('canvas');
  const context = canvas?.getContext('2d');
  if (!canvas || !context || typeof Path2D === 'undefined') return svgUrl(path, size, colour);
  canvas.width = size * scale;
  canvas.height = size * scale;
  context.scale(scale, scale);
  context.fillStyle = colour;
  context.fill(new Path2D(path));
  return `url("${canvas.toDataURL('image/png')}")`;
}

/** The row icons as CSS variables on the grid, in the theme's colours (an image holds no var()). */
function iconVariables(theme: Theme): Record<string, string> {
  return {
    '--strata-file-icon': iconUrl(FILE_ICON_PATH, 20, theme.colorNeutralForeground3),
    '--strata-state-uploaded': iconUrl(STATE_ICON_PATHS.uploaded, 16, theme.colorPaletteGreenForeground1),
    '--strata-state-partial': iconUrl(STATE_ICON_PATHS.partial, 16, theme.colorPaletteYellowForeground1),
    '--strata-state-missing': iconUrl(STATE_ICON_PATHS.missing, 16, theme.colorPaletteRedForeground1),
    '--strata-state-indexed': iconUrl(STATE_ICON_PATHS.indexed, 16, theme.colorNeutralForeground3),
  };
}

/**
 * A row being read shows a bar in each cell, painted as the row's background (one gradient per
 * cell), so it has the very elements of a loaded row, only without texts: showing the bars and
 * then the file restyles the row, not each cell. `fixed` are the widths of the columns after
 * the name; the name's bar is `share` of the name's room.
 */
function barBackground(fixed: number[], share: number): { backgroundImage: string; backgroundPosition: string; backgroundSize: string } {
  const bar = `linear-gradient(${tokens.colorNeutralBackground4}, ${tokens.colorNeutralBackground4})`;
  const pad = 12; // the cells' padding (spacingHorizontalM)
  const positions = [`${NAME_TEXT_LEFT}px center`];
  const sizes = [`calc((100% - ${fixed.reduce((a, b) => a + b, 0) + NAME_TEXT_LEFT + pad}px) * ${share}) 10px`];
  fixed.forEach((w, i) => {
    const after = fixed.slice(i + 1).reduce((a, b) => a + b, 0);
    positions.push(`right ${after + pad}px center`);
    sizes.push(`${w - 2 * pad}px 10px`);
  });
  return { backgroundImage: positions.map(() => bar).join(', '), backgroundPosition: positions.join(', '), backgroundSize: sizes.join(', ') };
}
/** Where a name's text starts in its cell: the padding, the 20 px icon, a gap. */
const NAME_TEXT_LEFT = 40;
const BAR_SHARES = [0.62, 0.45, 0.8, 0.55];
const WIDE_FIXED = [92, 100, 112, 156];
const COMPACT_FIXED = [88, 100, 108];

const useStyles = makeStyles({
  wrap: { display: 'flex', flexDirection: 'column', minHeight: 0, flexGrow: 1, position: 'relative' },
  // The grid is the scrolling element itself, so the one focusable element scrolls (keyboard users reach it).
  grid: {
    minHeight: 0,
    flexGrow: 1,
    overflowY: 'auto',
    overflowX: 'hidden',
    position: 'relative',
    outline: 'none',
    ':focus-visible': { boxShadow: `inset 0 0 0 2px ${tokens.colorStrokeFocus2}` },
  },
  header: {
    display: 'grid',
    gridTemplateColumns: COLUMNS,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
    position: 'sticky',
    top: 0,
    zIndex: 1,
    height: `${HEADER_HEIGHT}px`,
    boxSizing: 'border-box',
  },
  headerCell: { display: 'flex', alignItems: 'stretch', minWidth: 0 },
  sortButton: {
    flexGrow: 1,
    justifyContent: 'flex-start',
    fontWeight: tokens.fontWeightSemibold,
    borderRadius: 0,
    minWidth: 0,
    paddingLeft: tokens.spacingHorizontalM,
  },
  numericHeader: { justifyContent: 'flex-end', paddingRight: tokens.spacingHorizontalM },
  plainHeader: {
    display: 'flex',
    alignItems: 'center',
    padding: `0 ${tokens.spacingHorizontalM}`,
    fontWeight: tokens.fontWeightSemibold,
    fontSize: tokens.fontSizeBase200,
    justifyContent: 'flex-end',
  },
  // The rows' one moving part: the offset of the first row drawn (see row-slots.ts).
  rows: { position: 'absolute', top: 0, left: 0, right: 0 },
  // Rows stack in the flow of their wrapper, in index order: no row is positioned, so none is a
  // paint layer of its own or has a transform or clip of its own in the page's property trees,
  // and a row whose index changed has no style to change (only its texts do).
  row: {
    height: `${ROW_HEIGHT}px`,
    boxSizing: 'border-box',
    display: 'grid',
    gridTemplateColumns: COLUMNS,
    // A fixed row track: the grid never measures its cells to size the row.
    gridTemplateRows: '100%',
    alignItems: 'center',
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    cursor: 'default',
    userSelect: 'none',
    // A row's size never depends on its content. Size containment only: layout or paint
    // containment would make each row a stacking context, painted as a layer of its own.
    contain: 'size',
    ':hover': { backgroundColor: tokens.colorSubtleBackgroundHover },
  },
  selected: {
    backgroundColor: tokens.colorSubtleBackgroundSelected,
    ':hover': { backgroundColor: tokens.colorSubtleBackgroundSelected },
  },
  opened: { boxShadow: `inset 3px 0 0 ${tokens.colorBrandStroke1}` },
  active: { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  cell: {
    padding: `0 ${tokens.spacingHorizontalM}`,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    fontSize: tokens.fontSizeBase300,
  },
  nameCell: {
    paddingLeft: `${NAME_TEXT_LEFT}px`,
    backgroundImage: 'var(--strata-file-icon)',
    backgroundRepeat: 'no-repeat',
    backgroundPosition: `${tokens.spacingHorizontalM} center`,
    backgroundSize: '20px 20px',
  },
  numeric: { textAlign: 'right', fontVariantNumeric: 'tabular-nums' },
  busy: { backgroundRepeat: 'no-repeat' },
  wide0: barBackground(WIDE_FIXED, BAR_SHARES[0] ?? 0.6),
  wide1: barBackground(WIDE_FIXED, BAR_SHARES[1] ?? 0.6),
  wide2: barBackground(WIDE_FIXED, BAR_SHARES[2] ?? 0.6),
  wide3: barBackground(WIDE_FIXED, BAR_SHARES[3] ?? 0.6),
  compact0: barBackground(COMPACT_FIXED, BAR_SHARES[0] ?? 0.6),
  compact1: barBackground(COMPACT_FIXED, BAR_SHARES[1] ?? 0.6),
  compact2: barBackground(COMPACT_FIXED, BAR_SHARES[2] ?? 0.6),
  compact3: barBackground(COMPACT_FIXED, BAR_SHARES[3] ?? 0.6),
  // Badge: appearance tint, shape rounded, size medium (see the note at STATE_ICON_PATHS). Its
  // 1 px border is drawn inside its box (a pseudo-element), so here it takes 1 px of the padding;
  // the icon sits where the Badge's icon slot puts it (2 px into the padding, 4 px before the text).
  tag: {
    display: 'inline-block',
    boxSizing: 'border-box',
    verticalAlign: 'middle',
    height: '20px',
    minWidth: '20px',
    padding: '1px 5px 0 23px',
    borderRadius: tokens.borderRadiusMedium,
    backgroundRepeat: 'no-repeat',
    backgroundPosition: '3px center',
    backgroundSize: '16px 16px',
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase200,
    fontWeight: tokens.fontWeightSemibold,
    lineHeight: tokens.lineHeightBase200,
  },
  uploaded: { backgroundColor: tokens.colorPaletteGreenBackground1, color: tokens.colorPaletteGreenForeground1, border: `${tokens.strokeWidthThin} solid ${tokens.colorPaletteGreenBorder1}`, backgroundImage: 'var(--strata-state-uploaded)' },
  partial: { backgroundColor: tokens.colorPaletteYellowBackground1, color: tokens.colorPaletteYellowForeground1, border: `${tokens.strokeWidthThin} solid ${tokens.colorPaletteYellowBorder1}`, backgroundImage: 'var(--strata-state-partial)' },
  missing: { backgroundColor: tokens.colorPaletteRedBackground1, color: tokens.colorPaletteRedForeground1, border: `${tokens.strokeWidthThin} solid ${tokens.colorPaletteRedBorder1}`, backgroundImage: 'var(--strata-state-missing)' },
  indexed: { backgroundColor: tokens.colorNeutralBackground4, color: tokens.colorNeutralForeground3, border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`, backgroundImage: 'var(--strata-state-indexed)' },
  centre: { display: 'flex', alignItems: 'center', justifyContent: 'center', gap: tokens.spacingHorizontalS, padding: tokens.spacingVerticalXXL, color: tokens.colorNeutralForeground3 },
  walking: {
    position: 'absolute',
    right: tokens.spacingHorizontalL,
    bottom: tokens.spacingVerticalM,
    display: 'flex',
    gap: tokens.spacingHorizontalS,
    alignItems: 'center',
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow8,
  },
});

export interface FileTableProps {
  pager: FilePager | null;
  error: unknown;
  sort: FileSort;
  direction: SortDirection;
  onSort: (sort: FileSort, direction: SortDirection) => void;
  selection: Selection;
  onSelection: (selection: Selection) => void;
  focus: number | null;
  onFocus: (index: number | null) => void;
  openFileId: number | null;
  onOpen: (file: FileEntry) => void;
  onDelete: () => void;
  onContextMenu: (at: { x: number; y: number }) => void;
  /** A row to scroll into view once (a file opened from search); each new object scrolls again. */
  reveal: { index: number } | null;
  emptyText: string;
  label: string;
}

interface Column {
  key: string;
  label: string;
  sort: FileSort | null;
  numeric: boolean;
}

function columns(): Column[] {
  const sorts = new Set(fileSorts());
  const sortable = (s: string): FileSort | null => (sorts.has(s) ? (s as FileSort) : null);
  return [
    { key: 'name', label: 'Name', sort: sortable('name'), numeric: false },
    { key: 'size', label: 'Size', sort: sortable('size'), numeric: true },
    { key: 'segments', label: 'Segments', sort: sortable('segments'), numeric: true },
    { key: 'state', label: 'State', sort: sortable('state'), numeric: false },
    { key: 'date', label: 'Posted', sort: sortable('date'), numeric: true },
  ];
}

/** The columns, made once: the header is memoized on them (fileSorts is fixed for the session). */
const COLUMN_LIST = columns();
const COMPACT_COLUMN_LIST = COLUMN_LIST.filter((c) => c.key !== 'date');

interface HeaderRowProps {
  columns: Column[];
  template: string;
  sort: FileSort;
  direction: SortDirection;
  onSort: (sort: FileSort, direction: SortDirection) => void;
}

/** The sticky header: its sort buttons render again when the sort or the columns change. */
const HeaderRow = memo(function HeaderRow({ columns: cols, template, sort, direction, onSort }: HeaderRowProps) {
  const styles = useStyles();
  return (
    <div role="row" aria-rowindex={1} className={styles.header} style={{ gridTemplateColumns: template }}>
      {cols.map((c) => {
        const active = c.sort !== null && c.sort === sort;
        return (
          <div
            key={c.key}
            role="columnheader"
            className={styles.headerCell}
            aria-sort={active ? (direction === 'asc' ? 'ascending' : 'descending') : c.sort ? 'none' : undefined}
          >
            {c.sort ? (
              <Button
                appearance="subtle"
                size="small"
                tabIndex={-1}
                className={mergeClasses(styles.sortButton, c.numeric && styles.numericHeader)}
                icon={active ? direction === 'asc' ? <ArrowSortUp16Regular /> : <ArrowSortDown16Regular /> : undefined}
                iconPosition="after"
                onClick={() => {
                  onSort(c.sort as FileSort, active ? (direction === 'asc' ? 'desc' : 'asc') : c.numeric ? 'desc' : 'asc');
                }}
              >
                {c.label}
              </Button>
            ) : (
              <span className={styles.plainHeader} style={{ flexGrow: 1 }}>
                {c.label}
              </span>
            )}
          </div>
        );
      })}
    </div>
  );
});

export function FileTable(props: FileTableProps) {
  const { pager, selection, focus, onFocus, onSelection } = props;
  // Rows re-render when the pager read something (once a frame at most), without the screen around.
  const version = usePagerVersion(pager);
  const styles = useStyles();
  const gridId = useId();
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const gridRef = useRef<HTMLDivElement | null>(null);
  const count = pager?.count() ?? 0;
  const width = useWidth(gridRef);
  const compact = width > 0 && width < COMPACT_BELOW;
  const template = compact ? COMPACT_COLUMNS : COLUMNS;
  const [scroller, setScroller] = useState<HTMLDivElement | null>(null);
  // One callback for the table's life: a new one each render made React call the old one with
  // null and the new one with the element at every commit, two state updates and a second render.
  const gridElement = useCallback((el: HTMLDivElement | null) => {
    gridRef.current = el;
    scrollRef.current = el;
    setScroller(el);
  }, []);
  // The sticky header sits above the rows inside the same scrolling element.
  const { rows, contentHeight, scrollToIndex } = useScaledRows(scroller, count, ROW_HEIGHT, HEADER_HEIGHT, OVERSCAN);
  const first = rows?.first ?? 0;
  const last = rows?.last ?? 0;
  // Only ever grows (the same answer however often React renders), so writing it in render is safe.
  const slots = useRef(0);
  slots.current = slotCount(slots.current, last - first + 1);
  const placement = rows ? placeRows(rows.first, rows.last, rows.shift, ROW_HEIGHT, slots.current) : { offset: 0, rows: [] };
  const items = placement.rows;
  // The files the rows show: a window of new rows fills in over frames, the rows in view first.
  const shown = useRef(new Map<number, number>());
  const inView = { first: first > 0 ? first + OVERSCAN : 0, last: last < count - 1 ? last - OVERSCAN : last };
  const { files, deferred } = pager ? revealRows(items, (i) => pager.rowAt(i), shown.current, NEW_ROWS_PER_FRAME, inView) : { files: [], deferred: false };
  const [, setFrame] = useState(0);
  useLayoutEffect(() => {
    const next = new Map<number, number>();
    items.forEach((v, i) => {
      const f = files[i];
      if (f) next.set(v.key, f.id);
    });
    shown.current = next;
  });
  useEffect(() => {
    if (!deferred) return;
    const frame = requestAnimationFrame(() => setFrame((n) => n + 1));
    return () => cancelAnimationFrame(frame);
  });
  // Class names made once per table, not merged again in every cell of every row render.
  const cellClasses = useMemo<CellClasses>(
    () => ({
      cell: styles.cell,
      name: mergeClasses(styles.cell, styles.nameCell),
      numeric: mergeClasses(styles.cell, styles.numeric),
      tag: {
        uploaded: mergeClasses(styles.tag, styles.uploaded),
        partial: mergeClasses(styles.tag, styles.partial),
        missing: mergeClasses(styles.tag, styles.missing),
        indexed: mergeClasses(styles.tag, styles.indexed),
      },
      busyWide: [styles.wide0, styles.wide1, styles.wide2, styles.wide3].map((c) => mergeClasses(styles.busy, c)),
      busyCompact: [styles.compact0, styles.compact1, styles.compact2, styles.compact3].map((c) => mergeClasses(styles.busy, c)),
    }),
    [styles],
  );
  const { theme } = useTheme();
  const icons = useMemo(() => iconVariables(theme), [theme]);
  useEffect(() => {
    if (pager && count > 0) pager.ensure(first, last);
  }, [pager, first, last, count]);

  useLayoutEffect(() => {
    if (props.reveal !== null && props.reveal.index < count) scrollToIndex(props.reveal.index, 'center');
    // Only a new reveal request scrolls; the list growing does not.
  }, [props.reveal]);

  // Read at the key press, never during render: clientHeight forces a layout of the table,
  // and in render that layout ran on every scroll frame before React changed the rows again.
  const pageRows = (): number => Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 600) / ROW_HEIGHT));
  const moveTo = (index: number | null, extend: boolean, keepSelection: boolean): void => {
    if (index === null) return;
    onFocus(index);
    if (extend) onSelection(clickRow(selection.anchor === null ? clickRow(EMPTY_SELECTION, focus ?? index) : selection, index, { shift: true }));
    else if (!keepSelection) onSelection(clickRow(selection, index));
    scrollToIndex(index, 'auto');
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const ctrl = e.ctrlKey || e.metaKey;
    const move = moveFor(e.key);
    if (move) {
      e.preventDefault();
      moveTo(nextFocus(focus, move, count, pageRows()), e.shiftKey, ctrl);
      return;
    }
    if (ctrl && (e.key === 'a' || e.key === 'A')) {
      e.preventDefault();
      onSelection(selectAll(count));
      return;
    }
    if (focus === null) return;
    if (e.key === ' ') {
      e.preventDefault();
      onSelection(clickRow(selection, focus, { ctrl, shift: e.shiftKey }));
    } else if (e.key === 'Enter') {
      const row = pager?.rowAt(focus);
      if (row) {
        e.preventDefault();
        props.onOpen(row);
      }
    } else if (e.key === 'Delete') {
      e.preventDefault();
      props.onDelete();
    } else if (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) {
      e.preventDefault();
      const el = document.getElementById(`${gridId}-row-${focus}`);
      const box = el?.getBoundingClientRect() ?? gridRef.current?.getBoundingClientRect();
      props.onContextMenu({ x: (box?.left ?? 0) + 48, y: (box?.top ?? 0) + ROW_HEIGHT });
    }
  };

  // The row handlers keep their identity while the list scrolls and pages arrive, so memo(FileRow)
  // re-renders only the rows whose file, place or selection changed, not every row each time.
  const onRowMouse = useCallback(
    (index: number, e: MouseEvent): void => {
      gridRef.current?.focus({ preventScroll: true });
      onFocus(index);
      onSelection(clickRow(selection, index, { ctrl: e.ctrlKey || e.metaKey, shift: e.shiftKey }));
    },
    [onFocus, onSelection, selection],
  );
  const onOpenLatest = useRef(props.onOpen);
  useLayoutEffect(() => {
    onOpenLatest.current = props.onOpen;
  });
  const onRowDoubleClick = useCallback((f: FileEntry) => onOpenLatest.current(f), []);
  const { onContextMenu } = props;
  const onRowContextMenu = useCallback(
    (index: number, e: MouseEvent): void => {
      e.preventDefault();
      gridRef.current?.focus({ preventScroll: true });
      onFocus(index);
      if (!isSelected(selection, index)) onSelection(clickRow(selection, index));
      onContextMenu({ x: e.clientX, y: e.clientY });
    },
    [onFocus, onSelection, onContextMenu, selection],
  );

  const cols = compact ? COMPACT_COLUMN_LIST : COLUMN_LIST;
  // The latest onSort through a ref: the header keeps one handler and renders again only when
  // the sort or the columns change, not on every render of the rows (five Fluent buttons each time).
  const onSortLatest = useRef(props.onSort);
  useLayoutEffect(() => {
    onSortLatest.current = props.onSort;
  });
  const onSort = useCallback((sort: FileSort, direction: SortDirection) => onSortLatest.current(sort, direction), []);
  const failure = pager?.failure() ?? null;
  void version;

  if (props.error) return <ErrorMessage error={props.error} />;
  if (!pager) {
    return (
      <div className={styles.centre}>
        <Spinner size="tiny" /> <Text>Reading files…</Text>
      </div>
    );
  }
  return (
    <div className={styles.wrap}>
    <div
      ref={gridElement}
      role="grid"
      aria-label={props.label}
      aria-rowcount={pager.exact() ? count + 1 : -1}
      aria-colcount={cols.length}
      aria-multiselectable
      aria-activedescendant={focus !== null && focus >= first && focus <= last ? `${gridId}-row-${focus}` : undefined}
      tabIndex={0}
      className={styles.grid}
      style={icons}
      onKeyDown={onKeyDown}
      onFocus={() => {
        if (focus === null && count > 0) onFocus(0);
      }}
    >
      <HeaderRow columns={cols} template={template} sort={props.sort} direction={props.direction} onSort={onSort} />
      {count === 0 ? (
        <div className={styles.centre} role="row" aria-rowindex={2}>
          <span role="gridcell">{props.emptyText}</span>
        </div>
      ) : (
        <div role="rowgroup" style={{ height: `${contentHeight - HEADER_HEIGHT}px`, position: 'relative' }}>
          <div className={styles.rows} style={{ transform: `translateY(${placement.offset + (items[0]?.top ?? 0)}px)` }}>
            {items.map((v, i) => (
              <FileRow
                key={v.key}
                id={`${gridId}-row-${v.index}`}
                index={v.index}
                file={files[i]}
                selected={isSelected(selection, v.index)}
                active={focus === v.index}
                opened={pager.rowAt(v.index)?.id === props.openFileId}
                template={template}
                compact={compact}
                classes={cellClasses}
                onMouseDown={onRowMouse}
                onDoubleClick={onRowDoubleClick}
                onContextMenu={onRowContextMenu}
              />
            ))}
          </div>
        </div>
      )}
    </div>
      {failure !== null && (
        <div className={styles.walking}>
          <Text>Some rows could not be read.</Text>
          <Button size="small" onClick={() => pager.retry()}>
            Try again
          </Button>
        </div>
      )}
      {failure === null && pager.busy() && items.some((v) => !pager.rowAt(v.index)) && (
        <div className={styles.walking} role="status">
          <Spinner size="extra-tiny" />
          <Text size={200}>Reading rows {formatCount(first + 1)}–{formatCount(last + 1)}…</Text>
        </div>
      )}
    </div>
  );
}

interface CellClasses {
  cell: string;
  name: string;
  numeric: string;
  tag: Record<FileState, string>;
  /** A row being read, by its bar pattern (index % 4), wide or compact. */
  busyWide: string[];
  busyCompact: string[];
}

interface FileRowProps {
  id: string;
  index: number;
  file: FileEntry | undefined;
  selected: boolean;
  active: boolean;
  opened: boolean;
  template: string;
  compact: boolean;
  classes: CellClasses;
  onMouseDown: (index: number, e: MouseEvent) => void;
  onDoubleClick: (file: FileEntry) => void;
  onContextMenu: (index: number, e: MouseEvent) => void;
}

/**
 * A row has the same elements whether its file was read or not (a row being read has no texts
 * and paints bars as its background; see barBackground), so a row that scrolls into view, waits
 * for its page and fills in changes texts and two class names, never removes cells to build others.
 */
const FileRow = memo(function FileRow({ id, index, file, selected, active, opened, template, compact, classes, onMouseDown, onDoubleClick, onContextMenu }: FileRowProps) {
  const styles = useStyles();
  const busy = file ? undefined : (compact ? classes.busyCompact : classes.busyWide)[index % 4];
  return (
    <div
      id={id}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      aria-busy={file ? undefined : true}
      className={mergeClasses(styles.row, busy, selected && styles.selected, opened && styles.opened, active && styles.active)}
      style={{ gridTemplateColumns: template }}
      onMouseDown={(e) => {
        if (e.button === 0) onMouseDown(index, e);
      }}
      onDoubleClick={() => file && onDoubleClick(file)}
      onContextMenu={(e) => onContextMenu(index, e)}
    >
      <div role="gridcell" className={classes.name} title={file?.relPath} aria-label={file ? undefined : 'Loading'}>
        {file?.name}
      </div>
      <div role="gridcell" className={classes.numeric}>
        {file && formatBytes(file.size)}
      </div>
      <div role="gridcell" className={classes.numeric}>
        {file && formatCount(file.segmentCount)}
      </div>
      <div role="gridcell" className={classes.cell}>
        <span className={file ? classes.tag[file.state] : undefined}>{file && STATE_LABELS[file.state]}</span>
      </div>
      {!compact && (
        <div role="gridcell" className={classes.numeric}>
          {file && formatDate(file.postedAt ?? file.mtime)}
        </div>
      )}
    </div>
  );
});
