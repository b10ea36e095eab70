/**
 * `strata`: the product CLI. Every command takes --data <dir> (default: the app's data folder)
 * and --json (one JSON object on stdout; progress as JSON lines on stderr).
 *
 * Start-up matters here (every call pays it): this module and the command modules import only
 * light code statically. The handler map, the engines and their packages load through a dynamic
 * import when a command first connects, so `--help`, `--version` and a mistyped flag never do.
 */
import os from 'node:os';
import path from 'node:path';
import type { OpenStoreOptions } from '../electron/db/open-store';
import { progressReporter } from './progress-bar';
import { defaultDataDir } from '../electron/db/data-folder/data-dir';
import { invalidArgument } from '../shared/errors';
import { createOutput } from './cli-output';
import type { Command, CommandContext } from './command';
import type { FolderSession } from './folder-session';
import { COMMANDS } from './command-registry';
import { confirm } from './confirm';
import { checkDataFolder, dataFolderError } from './data-folder';
import { commandHelp, overviewHelp } from './command-help';
import { didYouMean } from './did-you-mean';
import { GLOBAL_OPTIONS } from './global-options';
import { parseCommandArgs } from './parse-command-args';
import { STRATA_VERSION } from './version';

/** The line the user typed, quoted where a shell needs it, to repeat in a hint. */
function commandLine(argv: readonly string[]): string {
  const quote = (a: string): string => (/^[\w@%+=:,./-]+$/u.test(a) ? a : `'${a.replace(/'/gu, "'\\''")}'`);
  return ['strata', ...argv.map(quote)].join(' ');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    process.stdout.write(`strata ${STRATA_VERSION}\n`);
    return 0;
  }
  const json = rest.includes('--json');
  const progress = progressReporter(json);
  const output = createOutput(json, process.stdout, process.stderr, () => progress.stop());
  const find = (n: string): Command | undefined => COMMANDS.find((c) => c.name === n);
  const unknown = (n: string): number =>
    output.fail(invalidArgument(`Unknown command "${n}".${didYouMean(n, COMMANDS.map((c) => c.name))} Run strata --help for the list.`, { command: n }));
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    // `strata help <command>` is the command's own help.
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic !== undefined) {
      const command = find(topic);
      if (!command) return unknown(topic);
      process.stdout.write(`${commandHelp(command)}\n`);
      return 0;
    }
    process.stdout.write(`${overviewHelp(COMMANDS)}\n`);
    return name ? 0 : 2;
  }
  const command = find(name);
  if (!command) return unknown(name);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${commandHelp(command)}\n`);
    return 0;
  }
  let parsed;
  try {
    parsed = parseCommandArgs(command.name, rest, { ...GLOBAL_OPTIONS, ...command.options });
  } catch (error) {
    return output.fail(error);
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
  // Checked when the command first reaches for the folder, after its own arguments: a wrong
  // argument is the first thing to hear about, whatever the folder.
  let folderChecked = false;
  const checkFolder = (): void => {
    if (folderChecked) return;
    checkDataFolder(dataDir, typeof command.dataFolder === 'function' ? command.dataFolder(parsed.positionals) : command.dataFolder, command.name);
    folderChecked = true;
  };
  let session: Promise<FolderSession> | null = null;
  const opened = (): Promise<FolderSession> => {
    checkFolder();
    return (session ??= import('./folder-session').then(({ folderSession }) => folderSession(dataDir, name, storeOptions)));
  };
  const ctx: CommandContext = {
    dataDir,
    values: parsed.values,
    positionals: parsed.positionals,
    output,
    ownCatalog: async (options) => (await opened()).ownCatalog(options),
    connect: async () => (await opened()).connect(),
    progress,
    confirm: (what) => confirm(what, { yes: parsed.values.yes === true, command: commandLine(argv) }),
    checkDataFolder: checkFolder,
  };
  try {
    await command.run(ctx);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    return output.fail(dataFolderError(error, dataDir));
  } finally {
    progress.stop();
    // Assigned by the command's first connect, which the compiler cannot see from here.
    const used = session as Promise<FolderSession> | null;
    await used?.then((s) => s.close(), () => undefined);
  }
}

process.exitCode = await main(process.argv.slice(2));
