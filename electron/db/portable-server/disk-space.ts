/** A full disk gets the same clear message wherever the portable server runs into it. */
import { StrataError } from '../../../shared/errors';
import { freeDiskBytes } from '../free-disk';

const mb = (bytes: number): string => `${Math.ceil(bytes / 1e6)} MB`;

export function diskFullError(dir: string, what: string, cause?: unknown, needed?: number): StrataError {
  return new StrataError(
    'disk-full',
    `The disk holding ${dir} is full, so Strata could not ${what}.` +
      (needed !== undefined ? ` It needs about ${mb(needed)} free.` : '') +
      ' Free some space on that disk (or move the data folder to a larger one) and try again.',
    { dir, needed },
    cause === undefined ? undefined : { cause },
  );
}

export function isDiskFull(error: unknown): boolean {
  const text = error instanceof Error ? `${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}` : String(error);
  return /ENOSPC|No space left on device|There is not enough space|disk full/iu.test(text);
}

/** Checks before a write of a known size, so it fails with a message instead of halfway. */
export function ensureFreeSpace(dir: string, bytes: number, what: string): void {
  const free = freeDiskBytes(dir);
  // 10% and 16 MB of slack: file-system blocks and the files written next to the payload.
  const needed = Math.ceil(bytes * 1.1) + 16e6;
  if (free < needed) throw diskFullError(dir, what, undefined, needed);
}
