/**
 * The screens the window does not need for its first paint, each in a chunk of its own and
 * loaded the first time it is shown (or when the pointer reaches its navigation item, so the
 * chunk is usually there before the click). The library stays in the main chunk: it is the
 * first screen, and waiting for a second request there would only delay its rows.
 */
import { Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

interface LazyScreen {
  Component: LazyExoticComponent<ComponentType>;
  /** Starts loading the chunk without showing the screen; repeated calls reuse one request. */
  preload: () => void;
}

/** A named export as a lazy component; the loader runs once, whoever asks first. */
function lazyScreen<M>(load: () => Promise<M>, pick: (module: M) => ComponentType): LazyScreen {
  let loading: Promise<{ default: ComponentType }> | null = null;
  const start = (): Promise<{ default: ComponentType }> => {
    loading ??= load().then((m) => ({ default: pick(m) }));
    return loading;
  };
  return {
    Component: lazy(start),
    preload: () => {
      // A failed preload is retried when the screen is shown, where the error is reported.
      start().catch(() => {
        loading = null;
      });
    },
  };
}

export const ImportScreen = lazyScreen(() => import('../screens/import/ImportScreen'), (m) => m.ImportScreen);
export const JobsScreen = lazyScreen(() => import('../screens/jobs/JobsScreen'), (m) => m.JobsScreen);
// The dashboard carries uPlot (the latency chart): only this chunk loads it.
export const DashboardScreen = lazyScreen(() => import('../screens/dashboard/DashboardScreen'), (m) => m.DashboardScreen);
export const WizardScreen = lazyScreen(() => import('../screens/wizard/WizardScreen'), (m) => m.WizardScreen);
export const SettingsScreen = lazyScreen(() => import('../screens/settings/SettingsScreen'), (m) => m.SettingsScreen);

const useStyles = makeStyles({
  loading: { display: 'flex', justifyContent: 'center', padding: tokens.spacingVerticalXXXL },
});

/** What a lazy screen shows while its chunk loads (from the local disk or loopback: briefly). */
export function ScreenLoading() {
  const styles = useStyles();
  return (
    <div className={styles.loading}>
      <Spinner size="small" label="Loading…" />
    </div>
  );
}
