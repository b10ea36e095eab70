import { describe, expect, it } from 'vitest';
import { commandHelp } from './command-help';
import { COMMANDS } from './command-registry';

describe('command help', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s documents every option with a default and has two examples of itself', (name, command) => {
    expect(command.description.length).toBeGreaterThan(40);
    for (const [option, spec] of Object.entries(command.options)) {
      expect(spec.description, `--${option}`).toMatch(/\w{3}/u);
    }
    const help = commandHelp(command);
    const lines = help.split('\n');
    for (const option of Object.keys(command.options)) {
      // The option's line and the wrapped lines under it.
      const start = lines.findIndex((l) => new RegExp(`^  (-\\w, )?--${option}\\b`, 'u').test(l));
      expect(start, `--${option} in the help`).toBeGreaterThan(0);
      const rest = lines.slice(start + 1);
      const end = rest.findIndex((l) => !/^ {6,}\S/u.test(l));
      const block = [lines[start], ...rest.slice(0, end)].join(' ').replace(/\s+/gu, ' ');
      expect(block).toMatch(/\((default: [^)]+|required[^)]*)\)$/u);
    }
    expect(command.examples.length).toBeGreaterThanOrEqual(2);
    for (const e of command.examples) {
      expect(e.command.startsWith(`strata ${name}`)).toBe(true);
      expect(help).toContain(e.command);
    }
  });
});
