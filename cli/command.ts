/** The shape of a CLI command; cli/main.ts holds the one registry of them. */
import type { ParseArgsConfig } from 'node:util';
import type { OwnedCatalog } from '../electron/db/owner/open-owned-catalog';
import type { Output } from './cli-output';
import type { Connected, OwnCatalogOptions } from './folder-session';
import type { ProgressReporter } from './progress-bar';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandContext {
  dataDir: string;
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  output: Output;
  /**
   * The handler map: served in this process over an in-memory port when the command owns the
   * data folder, or the owner's (the app, `strata serve`, another command) over the folder's
   * local endpoint. Either way the CLI reaches every feature as the app and the host do. The
   * caller closes it.
   */
  connect: () => Promise<Connected>;
  /**
   * The database manager with the data folder to this process alone, for what has no channel
   * (generate) and for `serve`; refused with `db-locked`, naming the owner, when another
   * process owns the folder.
   */
  ownCatalog: (options?: OwnCatalogOptions) => Promise<OwnedCatalog>;
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
