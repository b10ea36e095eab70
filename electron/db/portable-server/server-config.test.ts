import { describe, expect, it } from 'vitest';
import { memorySettings, renderServerConfig } from './server-config';

const GiB = 1024 ** 3;

describe('server settings from the machine', () => {
  it.each([
    // memory, shared_buffers, work_mem, maintenance_work_mem, effective_cache_size (MB)
    [2 * GiB, 128, 4, 64, 1024],
    [8 * GiB, 512, 16, 256, 4096],
    [24 * GiB, 1536, 48, 768, 12288],
    [64 * GiB, 2048, 64, 1024, 32768],
  ])('%d bytes of memory', (memory, shared, work, maintenance, cache) => {
    expect(memorySettings(memory)).toEqual({ sharedBuffersMb: shared, workMemMb: work, maintenanceWorkMemMb: maintenance, effectiveCacheSizeMb: cache });
  });

  it('listens on loopback only, on the given port, without a Unix socket, with minimal WAL', () => {
    const conf = renderServerConfig({ port: 54321, machine: { totalMemoryBytes: 8 * GiB, cpus: 2 } });
    expect(conf).toContain("listen_addresses = '127.0.0.1'");
    expect(conf).toContain('port = 54321');
    expect(conf).toContain("unix_socket_directories = ''");
    expect(conf).toContain("wal_level = 'minimal'");
    expect(conf).toContain('max_wal_senders = 0');
    expect(conf).toContain("synchronous_commit = 'on'");
    expect(conf).toContain("shared_buffers = '512MB'");
    expect(conf).not.toMatch(/trust/u);
  });
});
