/**
 * Test speed-up (a Vitest global setup, listed first): the tests' temporary folders go to a
 * RAM file system (tmpfs at /dev/shm) when this machine has one with room to spare. They stay
 * real folders and real files, written through the same system calls by the same real SQLite,
 * PGlite and PostgreSQL; what goes away is the disk's cost of creating, fsyncing and above all
 * deleting them (the root file system here is ext4 mounted with `discard`: removing one
 * 40 MB PGlite test folder took ~2 s under load, and every PGlite and sharded test removes some).
 *
 * Each run gets a folder of its own, `/dev/shm/strata-tests-<random>`, set as TMPDIR before the
 * other global setups and the test workers start (they and every child process they spawn read
 * os.tmpdir()); the teardown removes it. A folder left by a run that was killed is removed by
 * the next run once its owner pid is gone. STRATA_TEST_RAM_TMPDIR=0 keeps the usual TMPDIR.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isRunning } from '../../electron/db/runtime/process-alive';

const SHM = '/dev/shm';
const PREFIX = 'strata-tests-';
const OWNER = 'owner.pid';
const TMPFS_MAGIC = 0x01021994;
/** The whole unit suite holds well under 2 GB at once; ask for far more before using RAM. */
const MIN_FREE_BYTES = 8 * 1024 ** 3;


/** Removes the folders of earlier runs whose process no longer runs (a killed run's leftovers). */
function sweepStale(): void {
  for (const name of fs.readdirSync(SHM)) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = path.join(SHM, name);
    let owner = Number.NaN;
    try {
      owner = Number.parseInt(fs.readFileSync(path.join(dir, OWNER), 'utf8'), 10);
    } catch {
      // No owner file: a folder being set up right now, or not ours; left alone.
      continue;
    }
    if (Number.isSafeInteger(owner) && owner > 0 && !isRunning(owner)) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function ramRoot(): string | null {
  if (process.env.STRATA_TEST_RAM_TMPDIR === '0' || process.platform !== 'linux') return null;
  try {
    const stat = fs.statfsSync(SHM);
    if (stat.type !== TMPFS_MAGIC || stat.bavail * stat.bsize < MIN_FREE_BYTES) return null;
    fs.accessSync(SHM, fs.constants.W_OK);
    sweepStale();
    const dir = fs.mkdtempSync(path.join(SHM, PREFIX));
    // What /tmp is: anyone may enter and create, only owners remove (the portable server's
    // own account must reach its folder in here, as it reaches one in /tmp).
    fs.chmodSync(dir, 0o1777);
    fs.writeFileSync(path.join(dir, OWNER), String(process.pid));
    return dir;
  } catch {
    return null;
  }
}

export default function setup(): () => void {
  const dir = ramRoot();
  if (!dir) return () => undefined;
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
