/**
 * A real portable PostgreSQL server for tests. As a Vitest global setup
 * (`globalSetup: ['electron/db/portable-server/test-server-setup.ts']`) it packs the binaries if
 * resources/postgres lacks a current archive, extracts them, initdb's and starts a server in a
 * temporary folder, and exports its superuser URL as STRATA_TEST_PG_URL (also provided to
 * tests as `inject('strataTestPgUrl')`); the teardown stops the server and removes the folder.
 * When STRATA_TEST_PG_URL is already set, it uses that server and starts none.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensurePacked } from '../../../scripts/postgres/pack';
import { ensurePortableServer, type PortableServer, type PortableServerOptions } from './portable-server';

export const REPO_RESOURCES = path.resolve(import.meta.dirname, '..', '..', '..', 'resources', 'postgres');
export const TEST_PG_URL_ENV = 'STRATA_TEST_PG_URL';

export interface TestServer {
  server: PortableServer;
  dataDir: string;
  /** Stops the server and removes its folder. */
  dispose(): Promise<void>;
}

/** Packs if needed, then starts a server in a fresh temporary data folder. */
export async function startTestServer(options: Partial<PortableServerOptions> = {}): Promise<TestServer> {
  await ensurePacked(REPO_RESOURCES);
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'strata-pg-test-'));
  try {
    const server = await ensurePortableServer({ resourcesDir: REPO_RESOURCES, database: 'strata_test', ...options, dataDir });
    return {
      server,
      dataDir,
      async dispose() {
        await server.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

interface ProvidingProject {
  provide(key: string, value: unknown): void;
}

export default async function setup(project?: ProvidingProject): Promise<() => Promise<void>> {
  const existing = process.env[TEST_PG_URL_ENV];
  if (existing) {
    project?.provide('strataTestPgUrl', existing);
    return async () => undefined;
  }
  const test = await startTestServer();
  process.env[TEST_PG_URL_ENV] = test.server.connectionString;
  project?.provide('strataTestPgUrl', test.server.connectionString);
  return async () => {
    delete process.env[TEST_PG_URL_ENV];
    await test.dispose();
  };
}
