/**
 * Which screen is shown, and what it was asked to show (search opens a file in the library).
 * In-memory on purpose: in a browser the URL fragment carries the host's token.
 */
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

export type ScreenName = 'library' | 'import' | 'jobs' | 'database' | 'upgrade' | 'settings';

/** What the library should show when it is opened from elsewhere. */
export interface LibraryTarget {
  collectionId: number;
  folderId?: number | null;
  fileId?: number | null;
}

export interface Navigation {
  screen: ScreenName;
  /** Set by openFile (search results, job reports); the library clears it once shown. */
  libraryTarget: LibraryTarget | null;
  go(screen: ScreenName): void;
  openInLibrary(target: LibraryTarget): void;
  clearLibraryTarget(): void;
}

const NavigationContext = createContext<Navigation | null>(null);

export function NavigationProvider({ children, initial = 'library' }: { children: ReactNode; initial?: ScreenName }) {
  const [screen, setScreen] = useState<ScreenName>(initial);
  const [libraryTarget, setLibraryTarget] = useState<LibraryTarget | null>(null);
  const value = useMemo<Navigation>(
    () => ({
      screen,
      libraryTarget,
      go: setScreen,
      openInLibrary: (target) => {
        setLibraryTarget(target);
        setScreen('library');
      },
      clearLibraryTarget: () => setLibraryTarget(null),
    }),
    [screen, libraryTarget],
  );
  return <NavigationContext.Provider value={value}>{children}</NavigationContext.Provider>;
}

export function useNavigation(): Navigation {
  const nav = useContext(NavigationContext);
  if (!nav) throw new Error('useNavigation outside NavigationProvider');
  return nav;
}
