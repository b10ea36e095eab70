/**
 * A command's arguments through node:util parseArgs, with the mistakes found first from its
 * tokens and explained in Strata's own words (`invalid-argument`, with "did you mean"), because
 * parseArgs' messages name its own API and quote unevenly.
 */
import { parseArgs } from 'node:util';
import { invalidArgument } from '../shared/errors';
import type { CommandOptions, OptionSpec } from './command';
import { didYouMean } from './did-you-mean';

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

type ParseOptions = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean; default?: string | boolean }>;

function forParseArgs(options: CommandOptions): ParseOptions {
  const out: ParseOptions = {};
  for (const [name, o] of Object.entries(options)) {
    out[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}), ...(o.default === undefined ? {} : { default: o.default }) };
  }
  return out;
}

export function optionLabel(name: string, spec: OptionSpec): string {
  return spec.type === 'string' ? `--${name} <${spec.value ?? 'value'}>` : `--${name}`;
}

export function parseCommandArgs(commandName: string, args: string[], options: CommandOptions): ParsedArgs {
  const config = forParseArgs(options);
  const helpHint = `Run strata ${commandName} --help for its options.`;
  const { tokens } = parseArgs({ args, options: config, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = options[token.name];
    const raw = args[token.index] ?? token.rawName;
    if (!spec) {
      const longNames = Object.keys(options);
      const hint = token.rawName.startsWith('--')
        ? didYouMean(token.name, longNames, (n) => `--${n}`)
        : // A short cluster such as `-cam` is more often a value that starts with a dash.
          ` A value that starts with "-" goes after "--", as in: strata ${commandName} -- ${raw}.`;
      throw invalidArgument(`Unknown option ${raw} for strata ${commandName}.${hint} ${helpHint}`, { option: raw });
    }
    const label = optionLabel(token.name, spec);
    if (spec.type === 'boolean' && token.inlineValue) {
      throw invalidArgument(`${token.rawName} takes no value (got ${raw}). ${helpHint}`, { option: token.rawName });
    }
    if (spec.type === 'string' && token.value === undefined) {
      throw invalidArgument(`${token.rawName} needs a value: ${label}. ${helpHint}`, { option: token.rawName });
    }
    if (spec.type === 'string' && !token.inlineValue && token.value?.startsWith('-')) {
      throw invalidArgument(
        `${token.rawName} is followed by "${token.value}" instead of its value: ${label} (write --${token.name}=${token.value} if the value starts with "-").`,
        { option: token.rawName },
      );
    }
  }
  try {
    const { values, positionals } = parseArgs({ args, options: config, strict: true, allowPositionals: true });
    // Only string options are declared multiple, so a repeated value is a list of strings.
    return { values: values as ParsedArgs['values'], positionals };
  } catch (error) {
    // Every mistake parseArgs knows is caught above; this is for one it learns later.
    throw invalidArgument(`The arguments of strata ${commandName} could not be read: ${(error as Error).message.split('\n')[0]} ${helpHint}`);
  }
}
