/** Everything that outlives a screen: theme, connection, cached reads, jobs, navigation, toasts. */
import { FluentProvider, MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import type { StrataError } from '../../../shared/errors';
import { ApiProvider } from '../api/ApiContext';
import type { Connection } from '../api/browser-connection';
import { NotifyProvider } from '../errors/notify';
import { JobsProvider } from '../jobs/JobsContext';
import { JobStore } from '../jobs/job-store';
import { AppShell } from './AppShell';
import { Freshness } from './Freshness';
import { NavigationProvider } from './navigation';
import { useTheme } from './theme';

const useStyles = makeStyles({
  // Not on FluentProvider itself: Fluent copies the provider's classes to its portal nodes
  // (tooltips, dialogs), which would then cover the window.
  page: { height: '100vh', backgroundColor: tokens.colorNeutralBackground1 },
  alone: { padding: tokens.spacingHorizontalXXL, maxWidth: '720px' },
  title: { margin: `0 0 ${tokens.spacingVerticalL}`, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground1 },
});

/** Errors that another try will not change are not retried (a bad argument, a missing file). */
const RETRIED = new Set(['closed', 'busy', 'internal', 'shard-unavailable']);

export function Root({ connection }: { connection: Connection | string }) {
  const styles = useStyles();
  const { theme } = useTheme();
  const [queries] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { retry: (n, e) => n < 2 && RETRIED.has((e as StrataError).code), staleTime: 5_000, refetchOnWindowFocus: true },
        },
      }),
  );
  const [jobs] = useState(() => new JobStore());
  return (
    <FluentProvider theme={theme}>
      <div className={styles.page}>
      {typeof connection === 'string' ? (
        // A page of its own, so it has what every page has: a main landmark and a heading.
        <main className={styles.alone}>
          <h1 className={styles.title}>Strata</h1>
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>Strata cannot reach its catalog</MessageBarTitle>
              {connection}
            </MessageBarBody>
          </MessageBar>
        </main>
      ) : (
        <ApiProvider connection={connection}>
          <QueryClientProvider client={queries}>
            <NotifyProvider>
              <JobsProvider store={jobs}>
                <NavigationProvider>
                  <Freshness />
                  <AppShell />
                </NavigationProvider>
              </JobsProvider>
            </NotifyProvider>
          </QueryClientProvider>
        </ApiProvider>
      )}
      </div>
    </FluentProvider>
  );
}
