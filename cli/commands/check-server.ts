import { invalidArgument } from '../../shared/errors';
import { catalogFreeApi } from '../catalog-free-session';
import type { Command } from '../command';

export const checkServerCommand: Command = {
  name: 'check-server',
  summary: 'Check an existing PostgreSQL server for Strata: reachable, version, may create tables, Citus',
  usage: 'strata check-server <postgresql://user:password@host:port/database?sslmode=...> [--json]',
  description:
    'Connects to a PostgreSQL server you already run and reports what Strata needs to keep its catalog there: that it is reachable, its version, whether the user may create tables, and whether Citus can distribute segments. Nothing is written. Exit code 1 when the server is not usable yet.',
  examples: [
    { command: 'strata check-server postgresql://strata:secret@db.lan:5432/strata', does: 'checks a server on the home network' },
    { command: "strata check-server 'postgresql://strata@db.example.com/strata?sslmode=verify-full' --json", does: 'checks a TLS server and prints the findings as JSON' },
  ],
  options: {},
  dataFolder: 'none',
  async run(ctx) {
    const url = ctx.positionals[0];
    if (!url) throw invalidArgument('Give the connection string: strata check-server postgresql://user:password@host/database.');
    // pg reads anything as a connection string (notaurl: the host "base"); say what it wants instead.
    if (!/^postgres(ql)?:\/\//u.test(url)) {
      throw invalidArgument(`"${url}" is not a PostgreSQL connection string; it looks like postgresql://user:password@host:5432/database (add ?sslmode=require for TLS).`);
    }
    // Through the typed API like every command: the catalog-free map, as no catalog is needed.
    const { api, close } = await catalogFreeApi();
    let v: Awaited<ReturnType<typeof api['server/check']>>;
    try {
      v = await api['server/check']({ url });
    } finally {
      close();
    }
    ctx.output.result(
      {
        ok: v.ok,
        server: v.server,
        reachable: v.reachable,
        version: v.version,
        version_supported: v.versionSupported,
        can_create_tables: v.canCreateTables,
        citus: v.citus,
        segments: v.segments,
        notes: v.notes,
        problems: v.problems,
      },
      () =>
        v.ok
          ? [
              `${v.server}: PostgreSQL ${v.version ?? '?'}, tables can be created${v.citus === 'absent' ? '' : `, Citus ${v.citus}`}. Strata can keep its catalog there` +
                (v.segments === 'citus-distributed' ? ', with segments distributed by file_id.' : '.'),
              ...v.notes.map((n) => `- ${n}`),
            ].join('\n')
          : [`${v.server}: not usable yet.`, ...v.problems.map((p) => `- ${p}`)].join('\n'),
    );
    if (!v.ok) process.exitCode = 1;
  },
};
