import { invalidArgument } from '../../shared/errors';
import { DEFAULT_MANAGER_SETTINGS, type ManagerSettings } from '../../shared/manager';
import { table } from '../cli-output';
import type { Command } from '../command';
import { didYouMean } from '../did-you-mean';

interface SettingSpec {
  field: keyof ManagerSettings;
  /** The words the user types, and the stored value of each. */
  values: Record<string, ManagerSettings[keyof ManagerSettings]>;
  description: string;
}

/** The manager's settings by the names the command line uses (the app's settings screen shows the same ones). */
export const SETTINGS: Record<string, SettingSpec> = {
  'simple-moves': {
    field: 'simpleMoves',
    values: { automatic: 'automatic', ask: 'ask' },
    description: 'moves that need nothing installed (one file to sharded, more shards): the app runs them by itself at a quiet moment, or asks first',
  },
  'other-moves': {
    field: 'otherMoves',
    values: { automatic: 'automatic', ask: 'ask' },
    description: 'moves to PostgreSQL and every downgrade: run by themselves, or ask first',
  },
  'shared-access': {
    field: 'sharedAccess',
    values: { yes: true, no: false },
    description: 'other programs or machines must reach the catalog; only a server allows it, so the planner recommends one',
  },
};

/** How a stored value reads on the command line. */
function shown(spec: SettingSpec, value: unknown): string {
  return Object.entries(spec.values).find(([, v]) => v === value)?.[0] ?? String(value);
}

function specOf(key: string): SettingSpec {
  const spec = SETTINGS[key];
  if (!spec) throw invalidArgument(`There is no setting "${key}".${didYouMean(key, Object.keys(SETTINGS))} strata settings lists them.`, { key });
  return spec;
}

/** Every setting as the command shows it (also by `plan`). */
export function settingsRows(settings: ManagerSettings): { key: string; value: string; default: string; description: string }[] {
  return Object.entries(SETTINGS).map(([key, spec]) => ({
    key,
    value: shown(spec, settings[spec.field]),
    default: shown(spec, DEFAULT_MANAGER_SETTINGS[spec.field]),
    description: spec.description,
  }));
}

export const settingsCommand: Command = {
  name: 'settings',
  summary: "Show or change the catalog manager's settings (when moves may run by themselves, shared access)",
  usage: 'strata settings [<key> [<value> | default]] [--json]',
  description: `Without a key, lists every setting with its value and default; with a key, shows that one; with a value, changes it (default puts the default back). The settings live in the data folder (control.db), and the app, strata serve and strata plan all read them. Keys: ${Object.entries(
    SETTINGS,
  )
    .map(([k, s]) => `${k} (${Object.keys(s.values).join('|')})`)
    .join(', ')}.`,
  examples: [
    { command: 'strata settings', does: 'lists the settings and their defaults' },
    { command: 'strata settings simple-moves ask', does: 'the app asks before every move, also the simple ones' },
    { command: 'strata settings shared-access default --json', does: 'puts shared-access back to its default, the settings as JSON' },
  ],
  options: {},
  dataFolder: 'existing',
  async run(ctx) {
    const [key, value, ...extra] = ctx.positionals;
    if (extra.length > 0) throw invalidArgument('Give one setting and one value: strata settings <key> <value>.');
    const spec = key === undefined ? null : specOf(key);
    let patch: Partial<ManagerSettings> | null = null;
    if (spec && value !== undefined) {
      const word = value.toLowerCase();
      if (word === 'default') patch = { [spec.field]: DEFAULT_MANAGER_SETTINGS[spec.field] };
      else if (word in spec.values) patch = { [spec.field]: spec.values[word] };
      else throw invalidArgument(`${key} is ${Object.keys(spec.values).join(' or ')} (or default); got "${value}".`, { key, value });
    }
    const { api, close } = await ctx.connect();
    try {
      const settings = patch ? await api['manager/settings'](patch) : (await api['manager/status']({})).settings;
      const rows = settingsRows(settings).filter((r) => key === undefined || r.key === key);
      ctx.output.result({ settings: Object.fromEntries(rows.map((r) => [r.key, r.value])), ...(patch ? { changed: key } : {}) }, () =>
        patch && key
          ? `${key} is ${rows[0]?.value ?? ''} now.`
          : [table([['setting', 'value', 'default'], ...rows.map((r) => [r.key, r.value, r.default])]), '', ...rows.map((r) => `${r.key}: ${r.description}.`)].join('\n'),
      );
    } finally {
      await close();
    }
  },
};
