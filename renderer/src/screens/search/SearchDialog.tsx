/**
 * Search from anywhere (Ctrl+K / Ctrl+F): results as you type, the matched words marked, a
 * collection and a state filter; arrows move through the results, Enter opens the file in the
 * library, Escape closes. The box is a combobox over a listbox of results, as screen readers expect.
 */
import { Dialog, DialogSurface, Dropdown, Option, SearchBox, Spinner, Text, Button, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { Document20Regular } from '@fluentui/react-icons';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { FileState, SearchHit } from '../../../../shared/domain';
import { formatBytes, formatCount } from '../../../../shared/format';
import { useNavigation } from '../../app/navigation';
import { ErrorMessage } from '../../errors/ErrorMessage';
import { useCollections } from '../../hooks/catalog';
import { useSearch } from '../../hooks/search';
import { STATE_LABELS, StateBadge } from '../library/StateBadge';
import { StateFilter } from '../library/StateFilter';
import { highlight, highlightTerms, type HighlightTerm } from './highlight';

const useStyles = makeStyles({
  surface: {
    width: 'min(760px, calc(100vw - 48px))',
    maxWidth: 'none',
    padding: 0,
    alignSelf: 'flex-start',
    marginTop: '8vh',
    maxHeight: '80vh',
    display: 'flex',
    flexDirection: 'column',
    overflow: 'hidden',
  },
  top: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL} ${tokens.spacingVerticalS}` },
  box: { width: '100%', maxWidth: 'none' },
  filters: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  filter: { minWidth: '160px' },
  help: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  code: { fontFamily: tokens.fontFamilyMonospace, color: tokens.colorNeutralForeground2 },
  status: { marginLeft: 'auto', color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200, fontVariantNumeric: 'tabular-nums', display: 'flex', gap: tokens.spacingHorizontalXS, alignItems: 'center' },
  list: { overflowY: 'auto', borderTop: `1px solid ${tokens.colorNeutralStroke2}`, margin: 0, padding: `${tokens.spacingVerticalXS} 0`, listStyle: 'none', minHeight: '80px' },
  hit: {
    display: 'grid',
    gridTemplateColumns: '20px 1fr auto',
    columnGap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    cursor: 'pointer',
    ':hover': { backgroundColor: tokens.colorSubtleBackgroundHover },
  },
  active: { backgroundColor: tokens.colorSubtleBackgroundSelected, boxShadow: `inset 3px 0 0 ${tokens.colorBrandStroke1}`, ':hover': { backgroundColor: tokens.colorSubtleBackgroundSelected } },
  icon: { color: tokens.colorNeutralForeground3, marginTop: '2px' },
  main: { minWidth: 0, display: 'flex', flexDirection: 'column', gap: '2px' },
  name: { fontWeight: tokens.fontWeightSemibold, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  line: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  side: { display: 'flex', flexDirection: 'column', alignItems: 'flex-end', gap: '2px', fontVariantNumeric: 'tabular-nums', fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  mark: { backgroundColor: tokens.colorPaletteYellowBackground2, color: tokens.colorNeutralForeground1, borderRadius: tokens.borderRadiusSmall, fontWeight: tokens.fontWeightSemibold },
  empty: { padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalL}`, color: tokens.colorNeutralForeground3 },
  foot: { display: 'flex', justifyContent: 'center', padding: tokens.spacingVerticalS },
  errors: { padding: `0 ${tokens.spacingHorizontalL} ${tokens.spacingVerticalS}` },
});

export function SearchDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const styles = useStyles();
  return (
    <Dialog open={open} onOpenChange={(_, d) => onOpenChange(d.open)}>
      <DialogSurface className={styles.surface} aria-label="Search the catalog">
        {open && <SearchBody onClose={() => onOpenChange(false)} />}
      </DialogSurface>
    </Dialog>
  );
}

function SearchBody({ onClose }: { onClose: () => void }) {
  const styles = useStyles();
  const nav = useNavigation();
  const collections = useCollections();
  const [query, setQuery] = useState('');
  const [collectionId, setCollectionId] = useState<number | null>(null);
  const [state, setState] = useState<FileState | null>(null);
  const [active, setActive] = useState(0);
  const search = useSearch(query, collectionId, state);
  const listId = useId();
  const helpId = useId();
  const listRef = useRef<HTMLUListElement>(null);
  const terms = useMemo(() => highlightTerms(search.answered), [search.answered]);
  const hits = search.hits;

  useEffect(() => setActive(0), [search.answered, state, collectionId]);
  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const openHit = (hit: SearchHit | undefined): void => {
    if (!hit) return;
    nav.openInLibrary({ collectionId: hit.file.collectionId, folderId: hit.file.folderId, fileId: hit.file.id });
    onClose();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (hits.length === 0) return;
      setActive((a) => Math.max(0, Math.min(hits.length - 1, a + (e.key === 'ArrowDown' ? 1 : -1))));
    } else if (e.key === 'PageDown' || e.key === 'PageUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, Math.min(hits.length - 1, a + (e.key === 'PageDown' ? 8 : -8))));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      openHit(hits[active]);
    }
  };

  const collectionName = (id: number): string => collections.data?.find((c) => c.id === id)?.name ?? '';
  const shown = formatCount(hits.length);
  const status = search.loading
    ? 'Searching…'
    : search.answered === ''
      ? ''
      : `${search.nextOffset !== null ? `${shown}+` : shown} ${hits.length === 1 ? 'result' : 'results'}${state ? ` ${STATE_LABELS[state].toLowerCase()}` : ''}`;

  return (
    <>
      <div className={styles.top}>
        <SearchBox
          className={styles.box}
          size="large"
          autoFocus
          placeholder="Search names, paths and subjects"
          aria-label="Search the catalog"
          value={query}
          onChange={(_, d) => setQuery(d.value)}
          input={{
            role: 'combobox',
            'aria-expanded': hits.length > 0,
            'aria-controls': listId,
            'aria-autocomplete': 'list',
            'aria-activedescendant': hits[active] ? `${listId}-${active}` : undefined,
            'aria-describedby': helpId,
            onKeyDown,
          }}
        />
        <Text id={helpId} className={styles.help}>
          All words must match. <span className={styles.code}>"exact phrase"</span> · <span className={styles.code}>prefix*</span> ·{' '}
          <span className={styles.code}>this OR that</span> · <span className={styles.code}>-leave-out</span> · Enter opens the file, Esc closes.
        </Text>
        <div className={styles.filters}>
          <Dropdown
            className={styles.filter}
            size="small"
            aria-label="Search in collection"
            value={collectionId === null ? 'All collections' : collectionName(collectionId)}
            selectedOptions={[collectionId === null ? 'all' : String(collectionId)]}
            onOptionSelect={(_, d) => setCollectionId(d.optionValue && d.optionValue !== 'all' ? Number(d.optionValue) : null)}
          >
            <Option value="all">All collections</Option>
            {(collections.data ?? []).map((c) => (
              <Option key={c.id} value={String(c.id)}>
                {c.name}
              </Option>
            ))}
          </Dropdown>
          <StateFilter className={styles.filter} size="small" label="Only files in state" state={state} onChange={setState} />
          <span className={styles.status} role="status" aria-live="polite">
            {search.loading && <Spinner size="extra-tiny" aria-hidden />}
            {status}
          </span>
        </div>
      </div>
      {search.error !== null && (
        <div className={styles.errors}>
          <ErrorMessage error={search.error} />
        </div>
      )}
      {hits.length > 0 ? (
        <ul ref={listRef} id={listId} role="listbox" aria-label="Results" className={styles.list}>
          {hits.map((hit, i) => (
            <li
              key={hit.file.id}
              id={`${listId}-${i}`}
              data-index={i}
              role="option"
              aria-selected={i === active}
              className={mergeClasses(styles.hit, i === active && styles.active)}
              onMouseMove={() => i !== active && setActive(i)}
              onClick={() => openHit(hit)}
            >
              <Document20Regular className={styles.icon} aria-hidden />
              <span className={styles.main}>
                <span className={styles.name}>
                  <Marked text={hit.file.name} terms={terms} />
                </span>
                <span className={styles.line}>
                  {collectionId === null && collections.data && collections.data.length > 1 ? `${collectionName(hit.file.collectionId)} · ` : ''}
                  <Marked text={hit.file.relPath} terms={terms} />
                </span>
                {hit.file.subject && (
                  <span className={styles.line}>
                    <Marked text={hit.file.subject} terms={terms} />
                  </span>
                )}
              </span>
              <span className={styles.side}>
                <StateBadge state={hit.file.state} />
                <span>{formatBytes(hit.file.size)}</span>
              </span>
            </li>
          ))}
        </ul>
      ) : (
        // No options, no listbox (a listbox must hold options): the words say why it is empty.
        <div id={listId} role="status" aria-label="Results" className={styles.list}>
          {!search.loading && search.error === null && search.answered !== '' && hits.length === 0 && (
            <p className={styles.empty}>
              Nothing matches “{search.answered}”{state ? ` in state ${STATE_LABELS[state].toLowerCase()}` : ''}. Try fewer words, or a prefix such as <span className={styles.code}>word*</span>.
            </p>
          )}
          {search.answered === '' && !search.loading && (
            <p className={styles.empty}>
              Type to search every file’s name, folder path and Usenet subject.
            </p>
          )}
        </div>
      )}
      {search.nextOffset !== null && (
        <div className={styles.foot}>
          <Button size="small" appearance="subtle" onClick={search.more} disabled={search.loading}>
            Show more results
          </Button>
        </div>
      )}
    </>
  );
}

function Marked({ text, terms }: { text: string; terms: readonly HighlightTerm[] }) {
  const styles = useStyles();
  return (
    <>
      {highlight(text, terms).map((p, i) =>
        p.match ? (
          <mark key={i} className={styles.mark}>
            {p.text}
          </mark>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}
