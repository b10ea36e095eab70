/** The one list of `strata` commands, in the order `strata --help` shows them. */
import type { Command } from './command';
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
import { restoreCommand } from './commands/restore';
import { settingsCommand } from './commands/settings';
import { storesCommand } from './commands/stores';

export const COMMANDS: readonly Command[] = [
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
  settingsCommand,
  storesCommand,
  recoverCommand,
  restoreCommand,
];
