/**
 * What a finished job keeps: a summary line and one line per item, in the words of the
 * error's own message. Pure: built from the results the handler map returns.
 */
import { formatBytes, formatCount } from '../../../shared/format';
import type { IndexResult, NzbImportResult } from '../../../shared/results';
import type { JobReport, ReportLine } from './job-store';

const plural = (n: number, one: string, many = `${one}s`): string => `${formatCount(n)} ${n === 1 ? one : many}`;

export interface ImportTotals {
  imported: number;
  duplicates: number;
  failed: number;
  files: number;
  segments: number;
  bytes: number;
  results: NzbImportResult[];
}

function warningsOf(r: NzbImportResult): string[] {
  const w = r.warnings;
  const out: string[] = [];
  if (w.missingSegments) out.push(`${plural(w.missingSegments, 'missing segment')}`);
  if (w.invalidSegments) out.push(`${plural(w.invalidSegments, 'invalid segment')} left out`);
  if (w.duplicateSegments) out.push(`${plural(w.duplicateSegments, 'duplicate segment')} dropped`);
  if (w.emptyFiles) out.push(`${plural(w.emptyFiles, 'empty file')} left out`);
  if (w.duplicateFiles) out.push(`${plural(w.duplicateFiles, 'file')} listed twice`);
  if (w.emptyGroups) out.push(`${plural(w.emptyGroups, 'file')} without a group`);
  if (w.invalidMessageIds) out.push(`${plural(w.invalidMessageIds, 'unusable message-id')} left out`);
  if (w.invalidGroups) out.push(`${plural(w.invalidGroups, 'unusable group name')} left out`);
  return out;
}

/** `skipped` are files the page did not send (not NZBs, empty), reported beside the importer's answers. */
export function importReport(r: ImportTotals, skipped: readonly { name: string; reason: string }[] = []): JobReport {
  const lines: ReportLine[] = [];
  for (const x of r.results) {
    const name = x.file.split(/[/\\]/u).pop() ?? x.file;
    if (x.status === 'imported') {
      const warnings = warningsOf(x);
      lines.push({
        status: warnings.length > 0 ? 'warning' : 'ok',
        text: `${name}: ${plural(x.files, 'file')}, ${plural(x.segments, 'segment')}, ${formatBytes(x.bytes)}${x.folder ? ` into “${x.folder}”` : ''}`,
        ...(warnings.length > 0 ? { detail: warnings.join('; ') } : {}),
      });
    } else if (x.status === 'duplicate') {
      lines.push({ status: 'duplicate', text: `${name}: already in the catalog, nothing added`, ...(x.error ? { detail: x.error.message } : {}) });
    } else if (x.status === 'cancelled') {
      lines.push({ status: 'info', text: `${name}: not imported (cancelled)` });
    } else {
      lines.push({ status: 'failed', text: `${name}: not imported`, detail: x.error?.message ?? 'The importer gave no reason.' });
    }
  }
  for (const s of skipped) lines.push({ status: 'failed', text: `${s.name}: not sent`, detail: s.reason });
  const parts = [`${plural(r.imported, 'NZB')} imported`];
  if (r.duplicates) parts.push(`${formatCount(r.duplicates)} already there`);
  if (r.failed + skipped.length) parts.push(`${formatCount(r.failed + skipped.length)} failed`);
  const summary = `${parts.join(', ')} · ${plural(r.files, 'file')}, ${plural(r.segments, 'segment')}, ${formatBytes(r.bytes)}`;
  return { summary, lines };
}

export function indexReport(r: IndexResult, root: string): JobReport {
  const lines: ReportLine[] = [];
  if (r.added) lines.push({ status: 'ok', text: `${plural(r.added, 'file')} added` });
  if (r.replaced) lines.push({ status: 'ok', text: `${plural(r.replaced, 'file')} changed and read again` });
  if (r.unchanged) lines.push({ status: 'info', text: `${plural(r.unchanged, 'file')} unchanged` });
  if (r.gone.length) lines.push({ status: 'warning', text: `${plural(r.gone.length, 'file')} no longer on disk`, detail: r.gone.slice(0, 20).join('\n') + (r.gone.length > 20 ? `\n… and ${r.gone.length - 20} more` : '') });
  for (const p of r.problems.slice(0, 200)) lines.push({ status: 'failed', text: p.path, detail: p.reason });
  if (r.problems.length > 200) lines.push({ status: 'info', text: `… and ${formatCount(r.problems.length - 200)} more problems` });
  const summary = `${root}: ${plural(r.filesSeen, 'file')} seen, ${formatCount(r.added)} added, ${formatCount(r.replaced)} replaced, ${formatCount(r.unchanged)} unchanged · ${plural(r.segments, 'segment')}, ${formatBytes(r.bytesHashed)} read${r.problems.length ? ` · ${plural(r.problems.length, 'problem')}` : ''}`;
  return { summary, lines };
}

export function sampleReport(r: { collection: { name: string }; files: number; segments: number; bytes: number }): JobReport {
  return { summary: `“${r.collection.name}”: ${plural(r.files, 'file')}, ${plural(r.segments, 'segment')}, ${formatBytes(r.bytes)}`, lines: [] };
}
