/**
 * The server a Postgres benchmark runs against: `--url` when given, otherwise the project's
 * own portable PostgreSQL server, started in a temporary folder for the run (its settings are
 * the ones the app writes, so the figures are the app's) and removed afterwards.
 */
import { startTestServer } from '../../electron/db/portable-server/test-server-setup';
import { log } from './bench-utils';

export interface BenchServer {
  url: string;
  /** Where the figures came from, for the JSON line. */
  server: 'portable' | 'given';
  stop(): Promise<void>;
}

export async function benchServer(url: string | undefined): Promise<BenchServer> {
  if (url) return { url, server: 'given', stop: async () => undefined };
  log('starting the portable PostgreSQL server in a temporary folder…');
  const test = await startTestServer();
  return { url: test.server.connectionString, server: 'portable', stop: () => test.dispose() };
}
