/**
 * The bounds every layer holds a call to, written once: the IPC contract (shared/ipc/contract.ts)
 * refuses an argument past them before it reaches the database process, and the store front
 * (electron/db/store-front/checked-store.ts, with validate.ts) refuses the same values for in-process callers
 * (the CLI, the migration). Before this file the two disagreed (names of 500 vs 200 characters).
 */
export const LIMITS = {
  /** Characters in a collection name, after trimming. */
  collectionName: 200,
  /** Rows in one page of folders, files or search hits. */
  pageSize: 1000,
  /** Rows in a page when the caller does not say. */
  defaultPageSize: 200,
  /** Hits in one page of search results, and in a page when the caller does not say. */
  searchPage: 500,
  defaultSearchPage: 50,
  /** Hits a search may skip: deep pages past this are better found with a narrower query. */
  searchOffset: 100_000,
  /**
   * The row a file listing may start at (a seek: `files/list` with an offset and no cursor),
   * far above any collection Strata aims at (3M files) and still cheap to check.
   */
  listOffset: 100_000_000,
  /** Characters in a search query. */
  searchQuery: 500,
  /** Files one delete may name: the library's selection, kept to one bounded transaction. */
  deleteFiles: 10_000,
  /** Segments one `files/segments` page or one `updateSegments` call may carry. */
  segmentsPage: 100_000,
  segmentUpdates: 100_000,
  /** Characters in a path or URL argument. */
  path: 4096,
  /** Characters in a keyset cursor (an opaque token the store issued). */
  cursor: 2000,
} as const;
