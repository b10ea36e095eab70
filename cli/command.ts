/** The shape of a CLI command; cli/main.ts holds the one registry of them. */
import type { ParseArgsConfig } from 'node:util';
import type { DatabaseManager, ManagerOptions } from '../electron/db/manager/database-manager';
import type { StrataApi } from '../shared/ipc/api';
import type { Output } from './cli-output';
import type { ProgressReporter } from './progress-bar';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandContext {
  dataDir: string;
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  output: Output;
  /**
   * The handler map, served in this process over an in-memory port: the CLI reaches every
   * feature the same way the desktop app and the headless host do. The caller closes it.
   */
  connect(): Promise<{ api: StrataApi; close: () => Promise<void> }>;
  /** The database manager (the store's one owner), for moves, planning, serve and generate. */
  openManager(options?: ManagerOptions): Promise<DatabaseManager>;
  /** Progress for long commands: a live bar on a terminal (share 0..1), JSON lines on stderr with --json. */
  progress: ProgressReporter;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec;
  run(ctx: CommandContext): Promise<void>;
}
