/**
 * Streams NZB 1.1 XML: the DOCTYPE SABnzbd and NZBGet expect, the NZB namespace, attributes
 * and text escaped, segments in number order. Yields strings so a caller can write them to a
 * file or a socket with backpressure and never hold the document.
 */
import { StrataError } from '../../../../shared/errors';
import { isValidGroupName, isValidMessageId } from './nzb-ids';
import type { NzbHead, NzbSegment } from './nzb-types';

export interface NzbFileOut {
  subject: string;
  poster: string | null;
  /** Seconds since the epoch. */
  date: number | null;
  groups: string[];
  segments: NzbSegment[];
}

// Line breaks and tabs as character references: a value never starts a new line of the file,
// so nothing inside a subject or a meta value can pose as a line of its own to a line-based reader.
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;' };
// XML 1.0 cannot carry most control characters at all, even escaped; they are dropped.
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/gu;

export const xmlEscape = (text: string): string => text.replace(NOT_XML, '').replace(/[&<>"'\n\r\t]/gu, (c) => ESCAPES[c] ?? c);

export const NZB_PROLOGUE =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<!DOCTYPE nzb PUBLIC "-//newzBin//DTD NZB 1.1//EN" "http://www.newzbin.com/DTD/nzb/nzb-1.1.dtd">\n' +
  '<nzb xmlns="http://www.newzbin.com/DTD/2003/nzb">\n';

export function nzbHead(head: NzbHead): string {
  const entries = Object.entries(head.meta).flatMap(([type, values]) => values.map((v) => [type, v] as const));
  if (entries.length === 0) return '';
  return `  <head>\n${entries.map(([type, v]) => `    <meta type="${xmlEscape(type)}">${xmlEscape(v)}</meta>\n`).join('')}  </head>\n`;
}

export function nzbFile(file: NzbFileOut): string {
  const attrs = [
    `poster="${xmlEscape(file.poster ?? 'Strata')}"`,
    `date="${file.date ?? 0}"`,
    `subject="${xmlEscape(file.subject)}"`,
  ].join(' ');
  // The DTD requires at least one group and one segment per file.
  const valid = file.groups.filter(isValidGroupName);
  const groups = valid.length > 0 ? valid : ['alt.binaries.misc'];
  let out = `  <file ${attrs}>\n    <groups>\n`;
  for (const g of groups) out += `      <group>${xmlEscape(g)}</group>\n`;
  out += '    </groups>\n    <segments>\n';
  for (const s of file.segments) {
    // The exporter leaves these out and counts them; reaching here would be a bug, never a file.
    if (!isValidMessageId(s.messageId)) throw new StrataError('internal', `Segment ${s.number} of "${file.subject}" has a message-id an NZB cannot carry; it was not written.`);
    out += `      <segment bytes="${s.bytes}" number="${s.number}">${xmlEscape(s.messageId)}</segment>\n`;
  }
  return `${out}    </segments>\n  </file>\n`;
}

export const NZB_EPILOGUE = '</nzb>\n';

export async function* writeNzb(head: NzbHead, files: AsyncIterable<NzbFileOut> | Iterable<NzbFileOut>): AsyncGenerator<string> {
  yield NZB_PROLOGUE + nzbHead(head);
  for await (const file of files) yield nzbFile(file);
  yield NZB_EPILOGUE;
}
