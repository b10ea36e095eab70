/**
 * What the settings and first-run screens ask the database process for: where the catalog
 * lives, a sample catalog to look around in, and the portable PostgreSQL server's status.
 */
import { z } from 'zod';
import { collectionSchema } from './result-schemas';

/** Largest sample the first-run screen may ask for: a few seconds of work, a realistic shape. */
export const SAMPLE_MAX_SEGMENTS = 200_000;
export const SAMPLE_DEFAULT_SEGMENTS = 100_000;

export const appInfoSchema = z.object({
  /** The data folder the database process serves. */
  dataDir: z.string(),
  version: z.string(),
  /** Over the headless host, the folders it may import and index from (strata serve --allow); null: any path (the desktop app). */
  importRoots: z.array(z.string()).nullable(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const sampleArgs = z.object({ segments: z.number().int().min(1).max(SAMPLE_MAX_SEGMENTS).optional() }).strict();
export const sampleResultSchema = z.object({
  collection: collectionSchema,
  files: z.number(),
  segments: z.number(),
  bytes: z.number(),
  elapsedMs: z.number(),
});

export const portableStatusSchema = z.object({
  /** A cluster exists in the data folder (the server was set up once). */
  installed: z.boolean(),
  /** A server process of this data folder is running now. */
  running: z.boolean(),
  /** The catalog's active store is on the portable server. */
  inUse: z.boolean(),
  port: z.number().nullable(),
  version: z.string().nullable(),
  dataFolder: z.string(),
  /** With the password masked unless `reveal` was asked for; null before the first start. */
  connectionString: z.string().nullable(),
  revealed: z.boolean(),
});
export type PortableStatus = z.infer<typeof portableStatusSchema>;
