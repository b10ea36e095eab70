/** The shape of a CLI command; cli/main.ts holds the one registry of them. */
import type { ParseArgsConfig } from 'node:util';
import type { CatalogStore } from '../electron/db/store';
import type { StrataApi } from '../shared/ipc/api';
import type { Output } from './cli-output';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandContext {
  dataDir: string;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  output: Output;
  /**
   * The handler map, served in this process over an in-memory port: the CLI reaches every
   * feature the same way the desktop app and the headless host do. The caller closes it.
   */
  connect(): Promise<{ api: StrataApi; close: () => Promise<void> }>;
  /** The store itself, for what is not a product operation (generate) and for serve. */
  openStore(): Promise<CatalogStore>;
  /** Progress for long commands: a live line on a terminal, JSON lines on stderr with --json. */
  progress(event: Record<string, unknown>, human: string): void;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec;
  run(ctx: CommandContext): Promise<void>;
}
