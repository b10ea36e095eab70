/**
 * The settings Strata writes for its portable server, as a pure function of the machine so the
 * formula is tested without a server. They go into `strata.conf`, rewritten at every start and
 * included at the end of initdb's postgresql.conf (so they win over its defaults, and memory
 * follows the machine if the data folder moves to another one).
 *
 * Memory (M = physical memory):
 *   shared_buffers       = M/16, between 128 MB and 2 GB. A desktop catalog shares the machine
 *                          with the user's programs; lookups are served well from the OS page
 *                          cache too, so the server-style M/4 would take memory for little gain.
 *   work_mem             = M/512, between 4 MB and 64 MB (per sort or hash node of a running
 *                          query; a desktop catalog runs a handful of queries at once, so the
 *                          usual case stays a small fraction of M).
 *   maintenance_work_mem = M/32, between 64 MB and 1 GB: indexes are built after bulk loads
 *                          (30M+ segment rows), where this decides between one pass and many.
 *   effective_cache_size = M/2: a planner hint only, nothing is allocated.
 */

export interface MachineFacts {
  totalMemoryBytes: number;
  cpus: number;
}

export interface ServerSettings {
  port: number;
  machine: MachineFacts;
}

const MB = 1024 * 1024;
const clampMb = (bytes: number, minMb: number, maxMb: number): number => Math.min(maxMb, Math.max(minMb, Math.floor(bytes / MB)));

export interface MemorySettings {
  sharedBuffersMb: number;
  workMemMb: number;
  maintenanceWorkMemMb: number;
  effectiveCacheSizeMb: number;
}

export function memorySettings(totalMemoryBytes: number): MemorySettings {
  return {
    sharedBuffersMb: clampMb(totalMemoryBytes / 16, 128, 2048),
    workMemMb: clampMb(totalMemoryBytes / 512, 4, 64),
    maintenanceWorkMemMb: clampMb(totalMemoryBytes / 32, 64, 1024),
    effectiveCacheSizeMb: clampMb(totalMemoryBytes / 2, 256, Number.MAX_SAFE_INTEGER),
  };
}

export function renderServerConfig({ port, machine }: ServerSettings): string {
  const mem = memorySettings(machine.totalMemoryBytes);
  const parallel = Math.max(1, Math.min(4, Math.floor(machine.cpus / 2)));
  const lines: [string, string | number, string?][] = [
    // Loopback only and no Unix socket: nothing outside this machine can connect, and no socket
    // file is left in /tmp where other local users could find it. Every client uses TCP + SCRAM.
    ['listen_addresses', "'127.0.0.1'"],
    ['port', port],
    ['unix_socket_directories', "''"],
    ['password_encryption', "'scram-sha-256'"],
    // PostgreSQL's default. The manager's pool, a migration's writers, a user's psql or GUI tool
    // and the test suites' parallel catalogs; an idle slot costs a few hundred KB of shared memory.
    ['max_connections', 100],
    ['shared_buffers', `'${mem.sharedBuffersMb}MB'`],
    ['work_mem', `'${mem.workMemMb}MB'`],
    ['maintenance_work_mem', `'${mem.maintenanceWorkMemMb}MB'`],
    ['effective_cache_size', `'${mem.effectiveCacheSizeMb}MB'`],
    ['max_parallel_workers_per_gather', parallel],
    ['max_parallel_maintenance_workers', parallel],
    // No replicas or archiving: minimal WAL lets COPY into a table created in the same
    // transaction skip WAL entirely, the migration engine's bulk-load path.
    ['wal_level', "'minimal'"],
    ['max_wal_senders', 0],
    ['archive_mode', "'off'"],
    // Bulk loads write GBs: spaced checkpoints mean fewer full-page images and less I/O. The
    // WAL cap bounds the disk this costs (and the crash-recovery time, a few seconds per GB).
    ['checkpoint_timeout', "'15min'"],
    ['max_wal_size', "'2GB'"],
    ['min_wal_size', "'256MB'"],
    // Durability stays on: a commit the app reported must survive a crash or power cut. Loads
    // commit in large batches, so the one flush per commit is not what limits their speed.
    ['synchronous_commit', "'on'"],
    ['fsync', "'on'"],
    ['full_page_writes', "'on'"],
    // Catalog queries are short; JIT compilation would cost more than it saves.
    ['jit', "'off'"],
    // Logs stay in the data folder: one file per weekday, overwritten a week later.
    ['logging_collector', "'on'"],
    ['log_directory', "'log'"],
    ['log_filename', "'postgresql-%a.log'"],
    ['log_rotation_age', "'1d'"],
    ['log_rotation_size', 0],
    ['log_truncate_on_rotation', "'on'"],
    ['log_checkpoints', "'on'"],
  ];
  const body = lines.map(([key, value]) => `${key} = ${value}`).join('\n');
  return `# Written by Strata at every start of its portable server; edits here are overwritten.\n${body}\n`;
}

export const STRATA_CONF = 'strata.conf';
export const INCLUDE_LINE = `include_if_exists = '${STRATA_CONF}'`;
