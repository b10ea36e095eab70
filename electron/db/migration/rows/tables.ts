/**
 * The tables of a catalog and the shape of their rows as every store streams and loads them:
 * the base of the canonical row format, so the format's own files depend on nothing else.
 */

/** Tables in the order a migration must load them (parents first). */
export const TABLES = ['collections', 'nzb_sources', 'groups', 'folders', 'files', 'file_groups', 'segments'] as const;
export type TableName = (typeof TABLES)[number];

/** Rows as streamed for migration: logical column names, plain JSON-able values. */
export type Row = Record<string, string | number | null>;
