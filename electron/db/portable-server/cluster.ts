/**
 * The cluster (PGDATA): created once with initdb, checked before every start.
 *
 * initdb runs into a temporary sibling folder that is renamed to `data` only when it has
 * finished, so a killed first start never leaves a half-made cluster that later starts fail on.
 * Settings: UTF8, locale C (byte-order collation: stable across OS and ICU updates, and the
 * fastest), SCRAM-SHA-256 for both host and local connections (no trust rule anywhere), a
 * superuser `strata` whose generated password is passed in a pwfile that is deleted straight
 * after. PostgreSQL 18's initdb also turns data checksums on by default.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StrataError } from '../../../shared/errors';
import { postgresCharactersError } from '../win-paths';
import { diskFullError, ensureFreeSpace, isDiskFull } from './disk-space';
import { executable, type PortableLayout } from './layout';
import { runTool } from './run-tool';
import { INCLUDE_LINE } from './server-config';
import { ensureReachable, giveTo, type ServerUser } from './server-user';
import { SUPERUSER, generatePassword, writePassword } from './superuser-password';

export function isInitialized(pgData: string): boolean {
  return fs.existsSync(path.join(pgData, 'PG_VERSION'));
}

/** Refuses a cluster made by another major version: its files cannot be read by this server. */
export function checkClusterVersion(pgData: string, expectedMajor: number): void {
  const found = fs.readFileSync(path.join(pgData, 'PG_VERSION'), 'utf8').trim();
  if (found === String(expectedMajor)) return;
  throw new StrataError(
    'pg-version-mismatch',
    `The PostgreSQL data folder ${pgData} was made by PostgreSQL ${found}, and this version of Strata runs PostgreSQL ${expectedMajor}, ` +
      'which cannot open it. To keep that catalog, open it with the Strata version that made it and move it to SQLite first; ' +
      'or set the folder aside (it is kept, renamed) and let Strata create a new, empty server.',
    { pgData, found, expected: String(expectedMajor) },
  );
}

/** The recovery path for a refused cluster: renames it aside (nothing is deleted). */
export function setAsideCluster(pgData: string): string {
  const found = fs.existsSync(path.join(pgData, 'PG_VERSION')) ? fs.readFileSync(path.join(pgData, 'PG_VERSION'), 'utf8').trim() : 'unknown';
  const aside = `${pgData}-pg${found}-${new Date().toISOString().replace(/[:.]/gu, '-')}`;
  fs.renameSync(pgData, aside);
  return aside;
}

// initdb's cluster is about 40 MB; room for the first WAL segments on top.
const CLUSTER_BYTES = 80e6;

export async function initCluster(layout: PortableLayout, user: ServerUser | null): Promise<void> {
  fs.mkdirSync(layout.root, { recursive: true, mode: 0o700 });
  ensureFreeSpace(layout.root, CLUSTER_BYTES, 'create the PostgreSQL data folder');
  const temp = `${layout.pgData}.initdb`;
  fs.rmSync(temp, { recursive: true, force: true });
  fs.mkdirSync(temp, { mode: 0o700 });
  giveTo(user, temp);
  ensureReachable(user, temp, path.dirname(layout.root));
  ensureReachable(user, executable(layout.binRoot, 'initdb'), path.dirname(layout.root));

  const password = generatePassword();
  const pwfile = path.join(layout.root, `.pwfile-${process.pid}`);
  writePassword(pwfile, password);
  giveTo(user, pwfile);
  try {
    const result = await runTool(
      executable(layout.binRoot, 'initdb'),
      [
        `--pgdata=${temp}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale=C',
        '--auth-host=scram-sha-256',
        '--auth-local=scram-sha-256',
        '--no-instructions',
      ],
      user,
    );
    if (result.code !== 0) {
      if (isDiskFull(result.output)) throw diskFullError(layout.root, 'create the PostgreSQL data folder', result.output);
      // initdb wrote the path of its share\ folder into SQL in the ANSI code page: a character outside ASCII there.
      const nonAscii = /[^\u0000-\u007f]/u.exec(layout.root)?.[0];
      if (nonAscii && /invalid byte sequence for encoding/u.test(result.output)) throw postgresCharactersError(path.dirname(layout.root), nonAscii);
      throw new StrataError('pg-start-failed', `Creating the PostgreSQL data folder failed (initdb exited with ${result.code}). The log below says why.`, {
        output: result.output,
      });
    }
  } catch (error) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw error;
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
  fs.appendFileSync(path.join(temp, 'postgresql.conf'), `\n# Strata's settings (rewritten at every start)\n${INCLUDE_LINE}\n`);
  // The password is stored for the app before the cluster becomes visible under its final name:
  // a cluster without its password would be one the app could never connect to.
  writePassword(layout.passwordFile, password);
  fs.renameSync(temp, layout.pgData);
}
