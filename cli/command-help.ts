/** What `strata --help` and `strata <command> --help` print. */
import type { Command, CommandOptions, OptionSpec } from './command';
import { GLOBAL_OPTIONS } from './global-options';
import { optionLabel } from './parse-command-args';

const WIDTH = 96;

function wrap(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/u).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > WIDTH) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines;
}

function defaultOf(spec: OptionSpec): string {
  const repeatable = spec.multiple ? '; repeatable' : '';
  if (spec.required) return `required${repeatable}`;
  if (spec.defaultText !== undefined) return `default: ${spec.defaultText}${repeatable}`;
  if (spec.type === 'boolean') return spec.default === true ? 'default: on' : 'default: off';
  if (spec.default !== undefined) return `default: ${String(spec.default)}${repeatable}`;
  return `default: none${repeatable}`;
}

function optionLines(options: CommandOptions): string[] {
  const labels = Object.entries(options).map(([name, spec]) => ({ name, label: `${spec.short ? `-${spec.short}, ` : ''}${optionLabel(name, spec)}`, spec }));
  const width = Math.min(34, Math.max(...labels.map((l) => l.label.length)));
  return labels.flatMap(({ name, label, spec }) => {
    // --help has no default worth a word.
    const text = name === 'help' ? spec.description : `${spec.description} (${defaultOf(spec)})`;
    const pad = ' '.repeat(2 + width + 2);
    const body = wrap(text, pad);
    const first = (body[0] ?? '').trimStart();
    return label.length > width ? [`  ${label}`, ...body] : [`  ${label.padEnd(width)}  ${first}`, ...body.slice(1)];
  });
}

export function commandHelp(command: Command): string {
  const own = Object.keys(command.options);
  return [
    `strata ${command.name}: ${command.summary}`,
    '',
    `Usage: ${command.usage}`,
    '',
    ...wrap(command.description, ''),
    '',
    ...(own.length > 0 ? ['Options:', ...optionLines(command.options), ''] : []),
    'Options for every command:',
    ...optionLines({ ...GLOBAL_OPTIONS, help: { type: 'boolean', short: 'h', description: 'this text' } }),
    '',
    'Examples:',
    ...command.examples.flatMap((e) => [`  ${e.command}`, ...wrap(e.does, '      ')]),
  ].join('\n');
}

export function overviewHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: strata <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options for every command:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    '  strata <command> --help   a command\'s own options, with examples',
    '  strata --version          the version of Strata',
  ].join('\n');
}
