/** Output conventions of every command: results on stdout, errors as the one error shape. */
import { serializeError, type SerializedError } from '../shared/errors';

export interface Output {
  json: boolean;
  result(value: unknown, human: () => string): void;
  fail(error: unknown): number;
}

/** `beforeWrite` clears a live progress bar, so results and errors start on a clean line. */
export function createOutput(json: boolean, out = process.stdout, err = process.stderr, beforeWrite: () => void = () => undefined): Output {
  return {
    json,
    result(value, human) {
      beforeWrite();
      out.write(json ? `${JSON.stringify(value)}\n` : `${human()}\n`);
    },
    fail(error) {
      beforeWrite();
      const serialized: SerializedError = serializeError(error);
      if (json) out.write(`${JSON.stringify({ error: serialized })}\n`);
      else err.write(`strata: ${serialized.message}\n`);
      return serialized.code === 'invalid-argument' ? 2 : 1;
    },
  };
}

export { formatBytes, formatCount } from '../shared/format';

export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}
