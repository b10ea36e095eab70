/**
 * COPY text format, the cheapest way to move rows into Postgres from both drivers: one
 * line per row, columns separated by tabs, `\N` for NULL. Backslash, tab, newline and
 * carriage return inside a value are escaped; everything else (unicode included) passes
 * through as UTF-8. Postgres text cannot hold NUL, so a NUL is refused here with a clear
 * error instead of failing the whole batch inside the server.
 */
import { invalidArgument } from '../../../../shared/errors';

export const COPY_NULL = '\\N';

const NEEDS_ESCAPE = /[\\\t\n\r\u0000]/u;

function escapeChar(ch: string): string {
  switch (ch) {
    case '\\':
      return '\\\\';
    case '\t':
      return '\\t';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    default:
      throw invalidArgument('Text stored in the catalog cannot contain a NUL character; remove it from the name, subject or poster.');
  }
}

/** One non-NULL text value escaped for a COPY field. */
export function escapedCopyText(value: string): string {
  // Most values have nothing to escape; the regex test keeps them allocation-free.
  return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n\r\u0000]/gu, escapeChar) : value;
}

/** One text value as a COPY field. */
export function copyText(value: string | null | undefined): string {
  return value == null ? COPY_NULL : escapedCopyText(value);
}

/** A whole number (or NULL) as a COPY field. */
export function copyNumber(value: number | null | undefined): string {
  return value == null ? COPY_NULL : String(value);
}

/** Lowercase hex as a bytea COPY field: bytea's `\x` input, with its backslash escaped for COPY. */
export function copyHexBytes(hex: string | null | undefined): string {
  return hex == null ? COPY_NULL : `\\\\x${hex}`;
}

/** A JSON value (jsonb column) as a COPY field. */
export function copyJson(value: unknown): string {
  return value == null ? COPY_NULL : copyText(JSON.stringify(value));
}

/** A row of already-encoded fields as one COPY line. */
export const copyLine = (fields: readonly string[]): string => `${fields.join('\t')}\n`;
