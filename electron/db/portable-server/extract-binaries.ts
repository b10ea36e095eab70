/**
 * First use of the portable server: verify the packed archive against its manifest, then
 * extract it. Extraction goes into a temporary sibling folder that is renamed into place only
 * once every file and link is there, so a killed extraction leaves a `.extract-*` folder that
 * is swept away next time, never a half-filled bin folder that looks usable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StrataError } from '../../../shared/errors';
import { sha256File, type PostgresManifest } from './manifest';
import { extractArchive } from './seven-zip';
import { ensureFreeSpace, isDiskFull, diskFullError } from './disk-space';

export interface ExtractionProgress {
  phase: 'verify' | 'extract';
  percent: number;
  files: number;
  totalFiles: number;
}

const COMPLETE_MARK = '.strata-complete';

export function isExtracted(binRoot: string): boolean {
  return fs.existsSync(path.join(binRoot, COMPLETE_MARK));
}

export async function verifyArchive(archive: string, manifest: PostgresManifest): Promise<void> {
  let size: number;
  try {
    size = fs.statSync(archive).size;
  } catch (error) {
    throw new StrataError('pg-archive-invalid', `The PostgreSQL archive ${archive} is missing. Reinstall Strata.`, { archive }, { cause: error });
  }
  const actual = size === manifest.archiveBytes ? await sha256File(archive) : `size ${size}`;
  if (actual !== manifest.sha256) {
    throw new StrataError(
      'pg-archive-invalid',
      `The PostgreSQL archive ${archive} is damaged: its checksum does not match the one it shipped with. ` +
        'Nothing was extracted. Reinstall Strata (or run `npm run pack:postgres` in a development checkout).',
      { archive, expected: manifest.sha256, actual, expectedBytes: manifest.archiveBytes, bytes: size },
    );
  }
}

export async function extractBinaries(
  archive: string,
  manifest: PostgresManifest,
  binRoot: string,
  onProgress?: (p: ExtractionProgress) => void,
): Promise<void> {
  if (isExtracted(binRoot)) return;
  const parent = path.dirname(binRoot);
  fs.mkdirSync(parent, { recursive: true });
  sweepInterrupted(parent);
  onProgress?.({ phase: 'verify', percent: 0, files: 0, totalFiles: manifest.files });
  await verifyArchive(archive, manifest);
  ensureFreeSpace(parent, manifest.unpackedBytes, 'extract the PostgreSQL server');

  const temp = fs.mkdtempSync(path.join(parent, '.extract-'));
  // mkdtemp makes the folder 0700; the server may run as another user who must read it.
  fs.chmodSync(temp, 0o755);
  try {
    const files = await extractArchive(archive, temp, (p) =>
      onProgress?.({ phase: 'extract', percent: p.percent, files: p.files, totalFiles: manifest.files }),
    );
    if (files < manifest.files) throw new StrataError('pg-archive-invalid', `The PostgreSQL archive ${archive} held ${files} files, not ${manifest.files}. Reinstall Strata.`, { archive });
    for (const link of manifest.links) createLink(temp, link);
    fs.writeFileSync(path.join(temp, COMPLETE_MARK), `${manifest.sha256}\n`);
    fs.rmSync(binRoot, { recursive: true, force: true });
    fs.renameSync(temp, binRoot);
    onProgress?.({ phase: 'extract', percent: 100, files: manifest.files, totalFiles: manifest.files });
  } catch (error) {
    fs.rmSync(temp, { recursive: true, force: true });
    if (isDiskFull(error)) throw diskFullError(parent, 'extract the PostgreSQL server', error);
    throw error;
  }
}

function createLink(root: string, link: PostgresManifest['links'][number]): void {
  const at = path.join(root, link.path);
  fs.rmSync(at, { force: true });
  try {
    fs.symlinkSync(link.target, at);
  } catch {
    // Where links need a privilege (Windows without developer mode), a copy works the same.
    fs.copyFileSync(path.join(path.dirname(at), link.target), at);
  }
}

/**
 * Removes what killed extractions left behind. A 7za orphaned by a crash may still be writing
 * into its folder: the folder is first renamed out of the way (atomic, so the extraction that
 * follows never meets it), then removed as far as possible; what a still-running 7za adds
 * meanwhile goes at the next sweep.
 */
function sweepInterrupted(parent: string): void {
  for (const name of fs.readdirSync(parent)) {
    if (name.startsWith('.trash-')) {
      removeQuietly(path.join(parent, name));
    } else if (name.startsWith('.extract-')) {
      const trash = path.join(parent, `.trash-${name.slice('.extract-'.length)}-${process.pid}`);
      fs.renameSync(path.join(parent, name), trash);
      removeQuietly(trash);
    }
  }
}

function removeQuietly(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  } catch {
    // Left for the next sweep; nothing reads a .trash- folder.
  }
}

/**
 * Removes the binaries of builds this version no longer ships. Called once the current server
 * is up, so no server can still be running from them; best effort (Windows keeps files that
 * another process holds open, and the next start tries again).
 */
export function removeOtherBuilds(binRoot: string): void {
  const parent = path.dirname(binRoot);
  for (const name of fs.readdirSync(parent)) {
    const full = path.join(parent, name);
    if (!name.startsWith('bin-') || full === binRoot) continue;
    try {
      fs.rmSync(full, { recursive: true, force: true });
    } catch {
      // Left for the next start.
    }
  }
}
