/**
 * The window: a title bar with search and import, the navigation on the left, banners, the
 * current screen, and the status bar. Screens are mounted one at a time; what must outlive
 * them (jobs, the connection, cached reads) lives in providers above.
 */
import { Button, Tooltip, makeStyles, tokens, Text, CounterBadge } from '@fluentui/react-components';
import { NavDrawer, NavDrawerBody, NavItem } from '@fluentui/react-components';
import {
  ArrowImport20Regular,
  Database20Regular,
  DatabaseArrowUp20Regular,
  Library20Regular,
  Search20Regular,
  Settings20Regular,
  TaskListLtr20Regular,
} from '@fluentui/react-icons';
import { Suspense, lazy, useCallback, useEffect, useState, type ComponentType, type ReactElement } from 'react';
import { useRunningJobCount } from '../jobs/JobsContext';
import { ImportDropZone } from '../screens/import/ImportDropZone';
import { LibraryScreen } from '../screens/library/LibraryScreen';
import { MoveBanner } from '../screens/wizard/MoveBanner';
import { ConnectionBanner } from './ConnectionBanner';
import { DashboardScreen, ImportScreen, JobsScreen, ScreenLoading, SettingsScreen, WizardScreen } from './lazy-screens';
import { useNavigation, type ScreenName } from './navigation';
import { StatusBar } from './StatusBar';
import { UpdateNotice } from './UpdateNotice';
import { useDbStatus } from './use-db-status';

const useStyles = makeStyles({
  window: {
    display: 'grid',
    gridTemplateRows: 'auto 1fr auto',
    height: '100vh',
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground3,
  },
  brand: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400, minWidth: '160px' },
  search: {
    flexGrow: 1,
    maxWidth: '560px',
    justifyContent: 'flex-start',
    color: tokens.colorNeutralForeground3,
    fontWeight: tokens.fontWeightRegular,
  },
  shortcut: { marginLeft: 'auto', color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  spacer: { flexGrow: 1 },
  // The button lays out as flex, which drops the space after "Jobs": the badge needs its own gap.
  badge: { marginLeft: tokens.spacingHorizontalXS },
  body: { display: 'grid', gridTemplateColumns: 'auto 1fr', minHeight: 0 },
  nav: { width: '200px', minWidth: '200px', borderRight: `1px solid ${tokens.colorNeutralStroke2}` },
  main: { display: 'flex', flexDirection: 'column', minWidth: 0, minHeight: 0 },
  banners: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: `0 ${tokens.spacingHorizontalL}`, ':empty': { display: 'none' } },
  screen: { flexGrow: 1, minHeight: 0, overflow: 'auto' },
});

const noPreload = (): void => {};

/** The library is in the main chunk (first paint); every other screen loads when first shown. */
const SCREENS: { name: ScreenName; label: string; icon: ReactElement; Screen: ComponentType; preload: () => void }[] = [
  { name: 'library', label: 'Library', icon: <Library20Regular />, Screen: LibraryScreen, preload: noPreload },
  { name: 'import', label: 'Import', icon: <ArrowImport20Regular />, Screen: ImportScreen.Component, preload: ImportScreen.preload },
  { name: 'jobs', label: 'Jobs', icon: <TaskListLtr20Regular />, Screen: JobsScreen.Component, preload: JobsScreen.preload },
  { name: 'database', label: 'Database', icon: <Database20Regular />, Screen: DashboardScreen.Component, preload: DashboardScreen.preload },
  { name: 'upgrade', label: 'Upgrade database', icon: <DatabaseArrowUp20Regular />, Screen: WizardScreen.Component, preload: WizardScreen.preload },
  { name: 'settings', label: 'Settings', icon: <Settings20Regular />, Screen: SettingsScreen.Component, preload: SettingsScreen.preload },
];

// Search is a dialog over any screen: its chunk loads the first time it is opened.
const SearchDialog = lazy(() => import('../screens/search/SearchDialog').then((m) => ({ default: m.SearchDialog })));

/**
 * The title bar's Jobs button follows the number of running jobs on its own: when a job starts
 * or ends (a move's first progress report), only the button renders again, not the whole
 * window with the library's table in it (that render was a 30-40 ms task when a move began).
 */
function JobsButton({ onOpen }: { onOpen: () => void }) {
  const styles = useStyles();
  const running = useRunningJobCount();
  return (
    <Tooltip content={running > 0 ? `${running} running` : 'No job running'} relationship="description">
      <Button appearance="subtle" icon={<TaskListLtr20Regular />} onClick={onOpen}>
        Jobs {running > 0 && <CounterBadge className={styles.badge} count={running} size="small" color="brand" />}
      </Button>
    </Tooltip>
  );
}

export function AppShell() {
  const styles = useStyles();
  const nav = useNavigation();
  const status = useDbStatus();
  const [searchOpen, setSearchOpen] = useState(false);
  // Once opened, the dialog stays mounted so it can close with its own animation.
  const [searchUsed, setSearchUsed] = useState(false);
  if (searchOpen && !searchUsed) setSearchUsed(true);
  const openJobs = useCallback(() => nav.go('jobs'), [nav]);

  // Search from anywhere: Ctrl+K, and Ctrl+F (the browser's find would only search one page).
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key === 'k' || e.key === 'K' || e.key === 'f' || e.key === 'F')) {
        e.preventDefault();
        setSearchOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const current = SCREENS.find((s) => s.name === nav.screen) ?? SCREENS[0]!;
  return (
    <ImportDropZone>
      <div className={styles.window}>
        <header className={styles.header}>
          <Text as="h1" className={styles.brand}>
            Strata
          </Text>
          <Button className={styles.search} icon={<Search20Regular />} onClick={() => setSearchOpen(true)} aria-keyshortcuts="Control+K" aria-label="Search the catalog (Ctrl+K)">
            Search files, folders and subjects
            <span className={styles.shortcut} aria-hidden>
              Ctrl+K
            </span>
          </Button>
          <span className={styles.spacer} />
          <JobsButton onOpen={openJobs} />
          <Button appearance="primary" icon={<ArrowImport20Regular />} onClick={() => nav.go('import')}>
            Import
          </Button>
        </header>
        <div className={styles.body}>
          <NavDrawer open type="inline" className={styles.nav} selectedValue={nav.screen} onNavItemSelect={(_, d) => nav.go(d.value as ScreenName)} aria-label="Screens">
            <NavDrawerBody>
              {SCREENS.map((s) => (
                <NavItem key={s.name} value={s.name} icon={s.icon} onPointerEnter={s.preload} onFocus={s.preload}>
                  {s.label}
                </NavItem>
              ))}
            </NavDrawerBody>
          </NavDrawer>
          <main className={styles.main} aria-label={current.label}>
            <div className={styles.banners}>
              <ConnectionBanner status={status} />
              <MoveBanner />
              <UpdateNotice />
            </div>
            <div className={styles.screen}>
              <Suspense fallback={<ScreenLoading />}>
                <current.Screen />
              </Suspense>
            </div>
          </main>
        </div>
        <StatusBar status={status} />
      </div>
      {searchUsed && (
        <Suspense fallback={null}>
          <SearchDialog open={searchOpen} onOpenChange={setSearchOpen} />
        </Suspense>
      )}
    </ImportDropZone>
  );
}
