/**
 * `strata`: the product CLI. Every command takes --data <dir> (default: the app's data folder)
 * and --json (one JSON object on stdout; progress as JSON lines on stderr).
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { OpenStoreOptions } from '../electron/db/open-store';
import { progressReporter } from './progress-bar';
import { defaultDataDir } from '../electron/main/data-dir';
import { invalidArgument } from '../shared/errors';
import { createOutput } from './cli-output';
import type { Command, CommandContext } from './command';
import { folderSession } from './folder-session';
import { backupCommand } from './commands/backup';
import { checkCommand } from './commands/check';
import { collectionsCommand } from './commands/collections';
import { generateCommand } from './commands/generate';
import { importNzbCommand } from './commands/import-nzb';
import { exportNzbCommand } from './commands/export-nzb';
import { indexCommand } from './commands/index-folder';
import { attachNzbCommand } from './commands/attach-nzb';
import { serveCommand } from './commands/serve';
import { searchCommand } from './commands/search';
import { statsCommand } from './commands/stats';
import { reshardCommand } from './commands/reshard';
import { migrateCommand } from './commands/migrate';
import { rollbackCommand } from './commands/rollback';
import { checkServerCommand } from './commands/check-server';
import { planCommand } from './commands/plan';
import { recoverCommand } from './commands/recover';

const COMMANDS: readonly Command[] = [
  statsCommand,
  searchCommand,
  collectionsCommand,
  importNzbCommand,
  exportNzbCommand,
  indexCommand,
  attachNzbCommand,
  serveCommand,
  generateCommand,
  checkCommand,
  backupCommand,
  reshardCommand,
  migrateCommand,
  rollbackCommand,
  checkServerCommand,
  planCommand,
  recoverCommand,
];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: strata <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options for every command:',
    '  --data <dir>  the data folder (default: the app\'s, or STRATA_DATA_DIR)',
    '  --engine <e>  sqlite (one file) or sharded; default: whichever the data folder holds',
    '  --shards <N>  shards of a new sharded catalog (default 4)',
    '  --json        machine-readable output',
    '',
    'strata <command> --help shows a command\'s own options.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return name ? 0 : 2;
  }
  const json = rest.includes('--json');
  const progress = progressReporter(json);
  const output = createOutput(json, process.stdout, process.stderr, () => progress.stop());
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) return output.fail(invalidArgument(`Unknown command "${name}". Run strata --help for the list.`));
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`Usage: ${command.usage}\n`);
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { data: { type: 'string' }, engine: { type: 'string' }, shards: { type: 'string' }, ...command.options, json: { type: 'boolean', default: false } },
    });
  } catch (error) {
    return output.fail(invalidArgument(`${(error as Error).message}. Usage: ${command.usage}`));
  }
  const dataDir = path.resolve(
    typeof parsed.values.data === 'string'
      ? parsed.values.data
      : defaultDataDir({ platform: process.platform, env: process.env, homedir: os.homedir() }),
  );
  const engineOption = parsed.values.engine;
  if (engineOption !== undefined && engineOption !== 'sqlite' && engineOption !== 'sharded') {
    return output.fail(invalidArgument(`--engine is sqlite or sharded; got ${JSON.stringify(engineOption)}.`));
  }
  // A new sharded store takes its shard count from --shards (reshard reads it as its target).
  const shardsOption = parsed.values.shards;
  const storeOptions: OpenStoreOptions = {
    ...(engineOption ? { engine: engineOption } : {}),
    ...(typeof shardsOption === 'string' ? { sharded: { shards: Number(shardsOption) } } : {}),
  };
  const session = folderSession(dataDir, name, storeOptions);
  const ctx: CommandContext = {
    dataDir,
    values: parsed.values,
    positionals: parsed.positionals,
    output,
    ownCatalog: session.ownCatalog,
    connect: session.connect,
    progress,
  };
  try {
    await command.run(ctx);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    return output.fail(error);
  } finally {
    progress.stop();
    await session.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
