/**
 * Generated arguments for a channel, from the channel's own zod schema: mostly the right shape
 * with values at and past the edges an attacker would try (ids of real and absent rows, 0, -1,
 * 2^53, fractions; strings empty, at and past their limit, with NUL, path escapes, SQL and
 * FTS syntax), sometimes one field replaced by anything at all, sometimes anything at all in
 * place of the arguments. A fuzzer that only sent random JSON would be stopped by the first
 * schema check and never reach a handler; the right shape gets past it.
 */
import fc from 'fast-check';
import type { z } from 'zod';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  in?: z.ZodType;
  checks?: { _zod: { def: { check: string; maximum?: number; value?: number } } }[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

const maxLength = (def: Def): number | undefined => def.checks?.find((c) => c._zod.def.check === 'max_length')?._zod.def.maximum;

const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '../../../../etc/passwd',
  '/etc/shadow',
  'C:\\Windows\\System32\\config\\SAM',
  '\\\\?\\C:\\',
  'con',
  "'; DROP TABLE files; --",
  '" OR 1=1 --',
  'NEAR(a b) AND NOT * ^ "',
  '<message@id> \r\n',
  '%s%n%x',
  '\u202e\ud83d\ude00\ufffd',
  'postgresql://u:p@127.0.0.1:1/x',
  '__proto__',
];

function stringArb(def: Def): fc.Arbitrary<string> {
  const max = maxLength(def) ?? 4096;
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: Math.min(max, 40) }) },
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.constantFrom('x'.repeat(max), 'x'.repeat(max + 1)) },
  );
}

// Small ids hit rows that exist; the rest are edges.
const numberArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -2, max: 12 }) },
  { weight: 2, arbitrary: fc.constantFrom(2 ** 31, 2 ** 53 - 1, 2 ** 53 + 2, -(2 ** 53), 1.5, 1e308, 10_000, 100_000) },
  { weight: 1, arbitrary: fc.integer() },
);

/** A value shaped by `schema`, with hostile values at its leaves. */
export function shapedBy(schema: z.ZodType): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      const shape = def.shape ?? {};
      const keys = Object.keys(shape);
      const required = keys.filter((k) => defOf(shape[k]!).type !== 'optional');
      return fc.record(Object.fromEntries(keys.map((k) => [k, shapedBy(shape[k]!)])), { requiredKeys: required });
    }
    case 'optional':
      return shapedBy(def.innerType!);
    case 'nullable':
      return fc.option(shapedBy(def.innerType!), { nil: null, freq: 4 });
    case 'array':
      return fc.array(shapedBy(def.element!), { maxLength: 6 });
    case 'string':
      return stringArb(def);
    case 'number':
      return numberArb;
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...Object.values(def.entries ?? {})) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) });
    case 'literal':
      return fc.constantFrom(...(def.values ?? [null]));
    case 'union':
      return fc.oneof(...(def.options ?? []).map(shapedBy));
    case 'pipe':
      return shapedBy(def.in!);
    default:
      return fc.anything();
  }
}

/** Arguments for one channel: shaped, shaped with one field replaced by anything, or anything. */
export function hostileArgs(schema: z.ZodType): fc.Arbitrary<unknown> {
  const shaped = shapedBy(schema);
  const spoiled = fc.tuple(shaped, fc.string({ maxLength: 12 }), fc.anything()).map(([value, key, junk]) => {
    if (typeof value !== 'object' || value === null) return junk;
    const keys = Object.keys(value);
    const target = keys.length > 0 && key.length % 2 === 0 ? keys[key.length % keys.length]! : key;
    return { ...value, [target]: junk };
  });
  return fc.oneof({ weight: 6, arbitrary: shaped }, { weight: 2, arbitrary: spoiled }, { weight: 1, arbitrary: fc.anything() });
}
