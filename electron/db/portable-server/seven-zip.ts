/**
 * The 7za binary from the 7zip-bin package, driven through node-7z. 7zip-bin's npm tarball
 * ships the Linux and macOS binaries without the executable bit, so it is set on first use
 * (the file belongs to whoever installed the app, which is the user running it).
 */
import fs from 'node:fs';
import sevenBin from '7zip-bin';
import Seven from 'node-7z';
import { StrataError } from '../../../shared/errors';

export function sevenZipBinary(): string {
  // In a packaged app the binary sits in app.asar.unpacked; the path 7zip-bin computes points
  // into app.asar, which the operating system cannot execute from.
  const bin = sevenBin.path7za.replace(/app\.asar([\\/])/u, 'app.asar.unpacked$1');
  if (process.platform !== 'win32') {
    try {
      fs.accessSync(bin, fs.constants.X_OK);
    } catch {
      try {
        fs.chmodSync(bin, 0o755);
      } catch (error) {
        throw new StrataError('io', `The archive tool ${bin} cannot be run and its permissions cannot be fixed. Reinstall Strata.`, { bin }, { cause: error });
      }
    }
  }
  return bin;
}

export interface ExtractProgress {
  percent: number;
  files: number;
}

/** Runs `7za x` into `outputDir`; resolves when 7za has exited successfully. */
export function extractArchive(archive: string, outputDir: string, onProgress?: (p: ExtractProgress) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    let files = 0;
    let lastPercent = -1;
    const stream = Seven.extractFull(archive, outputDir, { $bin: sevenZipBinary(), $progress: true, overwrite: 'a' });
    stream.on('data', () => {
      files += 1;
    });
    // 7za reports after every file, rewriting its line with backspaces; node-7z can read a
    // stale figure out of a rewritten line when output arrives in bursts. Forward only, and one
    // event per percent, is what a progress bar wants.
    stream.on('progress', (p) => {
      if (p.percent <= lastPercent) return;
      lastPercent = p.percent;
      onProgress?.({ percent: p.percent, files: p.fileCount ?? 0 });
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(files));
  });
}

/**
 * Runs `7za a` over absolute `sources` (folders), each stored under its own name at the archive
 * root. No `-r`: with it 7za would also match same-named folders anywhere below the cwd.
 */
export function addToArchive(archive: string, sources: string[], level: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // Two threads whatever the machine: LZMA2's output depends on the thread count, and a
    // fixed count keeps packing reproducible (and polite on a shared 2-core machine).
    const stream = Seven.add(archive, sources, { $bin: sevenZipBinary(), archiveType: '7z', method: [`x=${level}`, 'mt=2'] });
    stream.on('error', reject);
    stream.on('end', () => resolve());
  });
}
