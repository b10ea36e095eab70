/**
 * Forward-only schema migrations for the SQLite dialect. Each entry runs once, in one
 * transaction, at open; `schema_version` records what ran. A database whose version is
 * above `LATEST_SCHEMA_VERSION` was written by a newer Strata and is refused untouched.
 */

/** Marks a file as a Strata catalog ('STRA'), so a foreign SQLite file is never migrated. */
export const STRATA_APPLICATION_ID = 0x53545241;

/**
 * The segments table as migration 1 creates it, shared with the shard files of the sharded
 * tier so both hold identical rows. Part of a released migration: never edit it; a change
 * to segments is a new migration for both.
 */
export const SEGMENTS_TABLE_SQL = `CREATE TABLE segments (
        file_id     INTEGER NOT NULL,
        number      INTEGER NOT NULL,
        bytes       INTEGER NOT NULL,
        state       INTEGER NOT NULL DEFAULT 0,
        hash        BLOB,
        message_id  TEXT,
        uploaded_at INTEGER,
        PRIMARY KEY (file_id, number)
      ) WITHOUT ROWID;`;

export interface SqliteMigration {
  version: number;
  description: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    description: 'catalog: collections, folders, files, segments, NZB sources, groups, full-text index',
    sql: `
      CREATE TABLE collections (
        id                INTEGER PRIMARY KEY,
        uid               TEXT NOT NULL UNIQUE,
        name              TEXT NOT NULL,
        root_path         TEXT,
        source            TEXT NOT NULL CHECK (source IN ('local', 'nzb')),
        created_at        INTEGER NOT NULL,
        -- Set while a large delete proceeds in chunks; such a collection is invisible and
        -- its removal resumes at the next open.
        deleting          INTEGER NOT NULL DEFAULT 0,
        folder_count      INTEGER NOT NULL DEFAULT 0,
        file_count        INTEGER NOT NULL DEFAULT 0,
        segment_count     INTEGER NOT NULL DEFAULT 0,
        bytes             INTEGER NOT NULL DEFAULT 0,
        uploaded_segments INTEGER NOT NULL DEFAULT 0,
        missing_segments  INTEGER NOT NULL DEFAULT 0
      );
      CREATE UNIQUE INDEX collections_name ON collections (name COLLATE NOCASE) WHERE deleting = 0;

      CREATE TABLE nzb_sources (
        id            INTEGER PRIMARY KEY,
        collection_id INTEGER NOT NULL REFERENCES collections (id),
        file_name     TEXT NOT NULL,
        dupe_key      TEXT NOT NULL,
        title         TEXT,
        category      TEXT,
        passwords     TEXT NOT NULL DEFAULT '[]',
        tags          TEXT NOT NULL DEFAULT '[]',
        meta          TEXT NOT NULL DEFAULT '{}',
        imported_at   INTEGER NOT NULL,
        UNIQUE (collection_id, dupe_key)
      );

      CREATE TABLE groups (
        id   INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
      );

      -- Every collection has one root folder (parent_id NULL, name ''); top-level files live in it.
      CREATE TABLE folders (
        id            INTEGER PRIMARY KEY,
        collection_id INTEGER NOT NULL REFERENCES collections (id),
        parent_id     INTEGER REFERENCES folders (id),
        name          TEXT NOT NULL COLLATE NOCASE,
        folder_count  INTEGER NOT NULL DEFAULT 0,
        file_count    INTEGER NOT NULL DEFAULT 0,
        bytes         INTEGER NOT NULL DEFAULT 0
      );
      -- Names are unique per parent byte-for-byte (a Linux folder may hold "A" and "a"),
      -- while listing sorts them case-insensitively.
      CREATE UNIQUE INDEX folders_parent_name_exact ON folders (parent_id, name COLLATE BINARY);
      CREATE INDEX folders_parent_name ON folders (parent_id, name);
      CREATE UNIQUE INDEX folders_root ON folders (collection_id) WHERE parent_id IS NULL;

      CREATE TABLE files (
        id              INTEGER PRIMARY KEY,
        collection_id   INTEGER NOT NULL REFERENCES collections (id),
        folder_id       INTEGER NOT NULL REFERENCES folders (id),
        nzb_source_id   INTEGER REFERENCES nzb_sources (id),
        name            TEXT NOT NULL COLLATE NOCASE,
        rel_path        TEXT NOT NULL,
        size            INTEGER NOT NULL,
        mtime           INTEGER,
        -- The date files sort by: mtime, else the posting date, else 0. NOT NULL so that
        -- keyset pagination can compare (sort_date, id) as a row value through the index.
        sort_date       INTEGER NOT NULL,
        content_hash    TEXT,
        subject         TEXT,
        poster          TEXT,
        posted_at       INTEGER,
        segment_count   INTEGER NOT NULL DEFAULT 0,
        bytes           INTEGER NOT NULL DEFAULT 0,
        uploaded_count  INTEGER NOT NULL DEFAULT 0,
        missing_count   INTEGER NOT NULL DEFAULT 0,
        duplicate_count INTEGER NOT NULL DEFAULT 0,
        state           INTEGER NOT NULL DEFAULT 0,
        metadata        TEXT
      );
      CREATE UNIQUE INDEX files_path ON files (collection_id, rel_path);
      CREATE INDEX files_folder_name ON files (folder_id, name);
      CREATE INDEX files_folder_size ON files (folder_id, size);
      CREATE INDEX files_folder_date ON files (folder_id, sort_date);
      CREATE INDEX files_folder_state ON files (folder_id, state, name);
      CREATE INDEX files_collection_name ON files (collection_id, name);
      CREATE INDEX files_collection_size ON files (collection_id, size);
      CREATE INDEX files_collection_date ON files (collection_id, sort_date);
      CREATE INDEX files_collection_state ON files (collection_id, state, name);

      CREATE TABLE file_groups (
        file_id  INTEGER NOT NULL REFERENCES files (id),
        group_id INTEGER NOT NULL REFERENCES groups (id),
        PRIMARY KEY (file_id, group_id)
      ) WITHOUT ROWID;

      -- The table that reaches tens of millions of rows: WITHOUT ROWID so the primary key is
      -- the table (one B-tree, no separate rowid index), and no foreign key, because the
      -- parent lookup per row costs more than the ingest code that already guarantees it;
      -- checkIntegrity() verifies there are no orphans.
      ${SEGMENTS_TABLE_SQL}

      -- Contentless: the text lives in files; deletes by rowid need contentless_delete.
      CREATE VIRTUAL TABLE files_fts USING fts5 (
        name, folder, subject,
        content = '',
        contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2'
      );
      -- FTS5 writes one index segment per committed batch and, by default, merges as soon as
      -- 4 pile up at a level; merging at 8 cut ingest time by a quarter (docs/benchmarks.md)
      -- while search stayed within its target.
      INSERT INTO files_fts (files_fts, rank) VALUES ('automerge', 8);
    `,
  },
  {
    version: 2,
    description: 'NZB sources: content hash for instant re-import checks, and an importing state',
    sql: `
      ALTER TABLE nzb_sources ADD COLUMN content_hash TEXT;
      -- 1 = complete; 0 = being imported (removed at the next open if the import never finished).
      ALTER TABLE nzb_sources ADD COLUMN complete INTEGER NOT NULL DEFAULT 1;
      CREATE INDEX nzb_sources_content ON nzb_sources (collection_id, content_hash) WHERE content_hash IS NOT NULL;
      CREATE INDEX files_nzb_source ON files (nzb_source_id) WHERE nzb_source_id IS NOT NULL;
    `,
  },
  {
    version: 3,
    description: 'files: sorted by segment count, in a folder and across a collection (the library table)',
    sql: `
      CREATE INDEX files_folder_segments ON files (folder_id, segment_count);
      CREATE INDEX files_collection_segments ON files (collection_id, segment_count);
    `,
  },
];

export const LATEST_SCHEMA_VERSION = SQLITE_MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
