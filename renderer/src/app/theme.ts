/** Light or dark: the user's choice, or Windows' own setting (prefers-color-scheme), live. */
import { useSyncExternalStore } from 'react';
import { webDarkTheme, webLightTheme, type Theme } from '@fluentui/react-components';
import { usePreferences } from './preferences';

const query = (): MediaQueryList | null => (typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null);

function useSystemDark(): boolean {
  return useSyncExternalStore(
    (l) => {
      const q = query();
      q?.addEventListener('change', l);
      return () => q?.removeEventListener('change', l);
    },
    () => query()?.matches ?? false,
  );
}

export function useTheme(): { theme: Theme; dark: boolean } {
  const { theme } = usePreferences();
  const systemDark = useSystemDark();
  const dark = theme === 'dark' || (theme === 'system' && systemDark);
  return { theme: dark ? webDarkTheme : webLightTheme, dark };
}
