/** The shape of a CLI command; cli/main.ts holds the one registry of them. */
import type { OwnedCatalog } from '../electron/db/owner/open-owned-catalog';
import type { Output } from './cli-output';
import type { DataFolderUse } from './data-folder';
import type { Connected, OwnCatalogOptions } from './folder-session';
import type { ProgressReporter } from './progress-bar';

/** One option: what node:util parseArgs needs, and what `strata <command> --help` says about it. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  default?: string | boolean;
  /** What the option does, in a phrase (help prints it beside the option). */
  description: string;
  /** The value's placeholder in help, as in `--limit <N>` (default: `value`). */
  value?: string;
  /** What happens without the option when that is not a plain default value ("every collection"). */
  defaultText?: string;
  /** The command refuses to run without it. */
  required?: boolean;
}

export type CommandOptions = Record<string, OptionSpec>;

/** A command line a user can copy, and what it does. */
export interface Example {
  command: string;
  does: string;
}

export interface CommandContext {
  dataDir: string;
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  output: Output;
  /**
   * The handler map: served in this process over an in-memory port when the command owns the
   * data folder, or the owner's (the app, `strata serve`, another command) over the folder's
   * local endpoint. Either way the CLI reaches every feature as the app and the host do. The
   * caller closes it. (check-server, which needs no catalog, uses the catalog-free map instead:
   * cli/catalog-free-session.ts.)
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
  /**
   * Asks before something that cannot be undone (`what` says what, in a sentence): on a
   * terminal y/N, with --yes not at all; refused in a script without --yes.
   */
  confirm: (what: string) => Promise<void>;
  /**
   * Checks the data folder for the command's use (see Command.dataFolder); connect and
   * ownCatalog do it first, a command that reads the folder by itself calls it.
   */
  checkDataFolder: () => void;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** What `strata <command> --help` explains beyond the summary: what it touches, when to use it. */
  description: string;
  options: CommandOptions;
  /** At least two, shown by --help. */
  examples: readonly [Example, Example, ...Example[]];
  /**
   * What the command does with the data folder, checked before anything opens it (a function
   * when it depends on the action, as `collections create` may start a catalog and `collections`
   * alone only reads one).
   */
  dataFolder: DataFolderUse | ((positionals: readonly string[]) => DataFolderUse);
  /**
   * The command's work. Every command module is loaded for `--help` and the suggestions, so it
   * imports only light modules statically; the engines, the handler map and heavy packages come
   * through ctx.connect / ctx.ownCatalog or a dynamic import here, loaded only when it runs.
   */
  run(ctx: CommandContext): Promise<void>;
}
