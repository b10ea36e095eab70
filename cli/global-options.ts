/** The options every command takes, declared once for parsing and for help. */
import type { CommandOptions } from './command';

export const GLOBAL_OPTIONS: CommandOptions = {
  data: { type: 'string', value: 'dir', description: 'the data folder', defaultText: "STRATA_DATA_DIR, or the app's data folder" },
  engine: { type: 'string', value: 'sqlite|sharded', description: 'the engine of a new catalog', defaultText: 'whichever the data folder holds; sqlite for a new one' },
  shards: { type: 'string', value: 'N', description: 'shards of a new sharded catalog', defaultText: '4' },
  json: { type: 'boolean', default: false, description: 'one JSON object on stdout; progress as JSON lines on stderr' },
};
