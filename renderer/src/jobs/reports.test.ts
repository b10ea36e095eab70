import { describe, expect, it } from 'vitest';
import type { NzbImportResult } from '../../../shared/results';
import { formatDone, formatDuration, formatRate } from './job-format';
import { importReport, indexReport } from './reports';

const none = { emptyFiles: 0, invalidSegments: 0, duplicateSegments: 0, missingSegments: 0, emptyGroups: 0, duplicateFiles: 0, invalidMessageIds: 0, invalidGroups: 0 };
const result = (over: Partial<NzbImportResult>): NzbImportResult => ({ file: '/n/x.nzb', status: 'imported', folder: 'x', sourceId: 1, files: 2, segments: 10, bytes: 7_680_000, passwords: [], warnings: none, ...over });

describe('job reports', () => {
  it('lists what imported, what was there already and what failed, in the error\'s words', () => {
    const r = importReport(
      {
        imported: 1,
        duplicates: 1,
        failed: 1,
        files: 2,
        segments: 10,
        bytes: 7_680_000,
        results: [
          result({ file: 'C:\\nzb\\Ubuntu.nzb', folder: 'Ubuntu', warnings: { ...none, missingSegments: 3 } }),
          result({ file: '/n/again.nzb', status: 'duplicate', files: 0, segments: 0, bytes: 0 }),
          result({ file: '/n/bad.nzb', status: 'failed', error: { name: 'StrataError', code: 'nzb-invalid', message: 'bad.nzb is not an NZB file: no <nzb> element.' } }),
        ],
      },
      [{ name: 'cover.jpg', reason: 'Not an NZB file.' }],
    );
    expect(r.summary).toBe('1 NZB imported, 1 already there, 2 failed · 2 files, 10 segments, 7.7 MB');
    expect(r.lines).toEqual([
      { status: 'warning', text: 'Ubuntu.nzb: 2 files, 10 segments, 7.7 MB into “Ubuntu”', detail: '3 missing segments' },
      { status: 'duplicate', text: 'again.nzb: already in the catalog, nothing added' },
      { status: 'failed', text: 'bad.nzb: not imported', detail: 'bad.nzb is not an NZB file: no <nzb> element.' },
      { status: 'failed', text: 'cover.jpg: not sent', detail: 'Not an NZB file.' },
    ]);
  });

  it('sums up an index and lists its problems', () => {
    const r = indexReport(
      { collectionId: 1, filesSeen: 12, added: 10, replaced: 1, touched: 0, unchanged: 1, gone: ['old.txt'], segments: 40, bytesHashed: 30_000_000, problems: [{ path: '/p/loop', reason: 'a link loop' }], elapsedMs: 1000 },
      '/p',
    );
    expect(r.summary).toBe('/p: 12 files seen, 10 added, 1 replaced, 1 unchanged · 40 segments, 30.0 MB read · 1 problem');
    expect(r.lines.map((l) => l.status)).toEqual(['ok', 'ok', 'info', 'warning', 'failed']);
    expect(r.lines.at(-1)).toEqual({ status: 'failed', text: '/p/loop', detail: 'a link loop' });
  });
});

describe('job numbers', () => {
  it('reads as a user reads them', () => {
    expect(formatDone(1500, 3000, 'NZBs')).toBe('1,500 of 3,000 NZBs');
    expect(formatDone(1_500_000, 3_000_000, 'bytes')).toBe('1.5 MB of 3.0 MB');
    expect(formatDone(42, null, 'files')).toBe('42 files');
    expect(formatRate(2_500_000, 'bytes')).toBe('2.5 MB/s');
    expect(formatRate(1234.4, 'rows')).toBe('1,234 rows/s');
    expect(formatDuration(4_400)).toBe('4 s');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
  });
});
