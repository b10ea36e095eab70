/**
 * Test helpers for NZB documents: a checker for the NZB 1.1 DTD's content model (the DTD is
 * never fetched; its rules are restated here) and small NZB builders.
 */
import { SaxesParser } from 'saxes';
import type { StoreStats } from '../../store';

const NZB_NS = 'http://www.newzbin.com/DTD/2003/nzb';

/** Returns the DTD violations of a document (empty when it is valid). */
export function nzb11Violations(xml: string): string[] {
  const problems: string[] = [];
  const parser = new SaxesParser({ xmlns: false });
  const stack: { name: string; children: string[] }[] = [];
  let doctype = '';
  parser.on('doctype', (d) => (doctype = d));
  parser.on('opentag', (tag) => {
    const parent = stack[stack.length - 1];
    parent?.children.push(tag.name);
    const a = tag.attributes as Record<string, string>;
    switch (tag.name) {
      case 'nzb':
        if (stack.length !== 0) problems.push('nzb is not the root');
        if (a.xmlns !== NZB_NS) problems.push(`nzb xmlns is ${a.xmlns}`);
        break;
      case 'meta':
        if (parent?.name !== 'head') problems.push('meta outside head');
        if (a.type === undefined) problems.push('meta without type');
        break;
      case 'file':
        if (parent?.name !== 'nzb') problems.push('file outside nzb');
        if (a.subject === undefined) problems.push('file without subject');
        if (a.date !== undefined && !/^\d+$/u.test(a.date)) problems.push(`file date ${a.date}`);
        break;
      case 'segment':
        if (parent?.name !== 'segments') problems.push('segment outside segments');
        if (a.bytes !== undefined && !/^\d+$/u.test(a.bytes)) problems.push(`segment bytes ${a.bytes}`);
        if (a.number !== undefined && !/^\d+$/u.test(a.number)) problems.push(`segment number ${a.number}`);
        break;
      case 'head':
      case 'groups':
      case 'group':
      case 'segments':
        break;
      default:
        problems.push(`unknown element ${tag.name}`);
    }
    stack.push({ name: tag.name, children: [] });
  });
  parser.on('closetag', () => {
    const node = stack.pop();
    if (!node) return;
    const seq = node.children.join(',');
    const rules: Record<string, RegExp> = {
      nzb: /^(head,)?(file(,file)*)?$|^head$/u,
      head: /^(meta(,meta)*)?$/u,
      file: /^(groups,segments)?$/u,
      groups: /^(group(,group)*)?$/u,
      segments: /^(segment(,segment)*)?$/u,
      meta: /^$/u,
      group: /^$/u,
      segment: /^$/u,
    };
    const rule = rules[node.name];
    if (rule && !rule.test(seq)) problems.push(`<${node.name}> holds (${seq})`);
  });
  parser.write(xml).close();
  if (!doctype.includes('-//newzBin//DTD NZB 1.1//EN')) problems.push('missing the NZB 1.1 DOCTYPE');
  return problems;
}

/** Feeds the parts as given, one chunk each, so a test decides where the boundaries fall. */
export async function* chunks(...parts: (string | Buffer)[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield typeof p === 'string' ? Buffer.from(p) : p;
}

/** The counts an import may change; dbBytes moves with the journal and is left out. */
export const storeCounts = (s: StoreStats): Pick<StoreStats, 'collections' | 'folders' | 'files' | 'segments' | 'bytes'> => ({
  collections: s.collections,
  folders: s.folders,
  files: s.files,
  segments: s.segments,
  bytes: s.bytes,
});
