import { describe, expect, it } from 'vitest';
import { digestParts, formatDuration, formatEstimate, formatPercent, formatRate, overallFraction, tableEstimates, tableFraction } from './move-progress';

describe('overallFraction', () => {
  it('advances with rows through the copy and by steps after it, never backwards', () => {
    const seq = [
      overallFraction({ phase: 'preflight', rows: 0, totalRows: 0 }),
      overallFraction({ phase: 'copy', rows: 0, totalRows: 1000 }),
      overallFraction({ phase: 'copy', rows: 500, totalRows: 1000 }),
      overallFraction({ phase: 'copy', rows: 1000, totalRows: 1000 }),
      overallFraction({ phase: 'index', rows: 1000, totalRows: 1000 }),
      overallFraction({ phase: 'verify', rows: 1000, totalRows: 1000 }),
      overallFraction({ phase: 'switch', rows: 1000, totalRows: 1000 }),
      overallFraction({ phase: 'done', rows: 1000, totalRows: 1000 }),
    ];
    expect(seq[0]).toBe(0);
    expect(seq[2]).toBeCloseTo(0.41);
    expect(seq.at(-1)).toBe(1);
    for (let i = 1; i < seq.length; i++) expect(seq[i]).toBeGreaterThanOrEqual(seq[i - 1]!);
  });
  it('stays within the copy when the estimate of rows falls short', () => {
    expect(overallFraction({ phase: 'copy', rows: 1200, totalRows: 1000 })).toBeCloseTo(0.8);
    expect(overallFraction({ phase: 'copy', rows: 10, totalRows: 0 })).toBeCloseTo(0.02);
  });
});

describe('tableFraction', () => {
  const est = tableEstimates({ collections: 1, folders: 10, files: 100, segments: 1000 });
  it('measures the current table from the rows past the tables before it', () => {
    // collections 1 + nzb_sources 1 + groups 0 + folders 10 + files 100 + file_groups 100 = 212 before segments.
    expect(tableFraction({ phase: 'copy', table: 'segments', rows: 712, kind: 'migrate' }, est)).toBeCloseTo(0.5);
    expect(tableFraction({ phase: 'copy', table: 'files', rows: 62, kind: 'migrate' }, est)).toBeCloseTo(0.5);
  });
  it('has no table bar outside the copy or in a re-shard', () => {
    expect(tableFraction({ phase: 'verify', table: 'segments', rows: 1, kind: 'migrate' }, est)).toBeNull();
    expect(tableFraction({ phase: 'copy', table: 'segments', rows: 1, kind: 'reshard' }, est)).toBeNull();
    expect(tableFraction({ phase: 'copy', table: 'groups', rows: 12, kind: 'migrate' }, est)).toBe(1);
  });
});

describe('formatting', () => {
  it('says durations, estimates, rates and shares in plain words', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(400)).toBe('under a second');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(125_000)).toBe('2 min 05 s');
    expect(formatDuration(3_780_000)).toBe('1 h 03 min');
    expect(formatEstimate(3_000)).toBe('a few seconds');
    expect(formatEstimate(9_100)).toBe('about 10 seconds');
    expect(formatEstimate(61_000)).toBe('about 2 minutes');
    expect(formatEstimate(5_400_000)).toBe('about 1.5 hours');
    expect(formatRate(0)).toBe('—');
    expect(formatRate(119_000.4)).toBe('119,000 rows/s');
    expect(formatPercent(0.999)).toBe('99%');
  });

  it('lists a digest without the row count its own column already shows', () => {
    expect(digestParts('2 rows, d04268bb5ba176a3')).toEqual(['d04268bb5ba176a3']);
    expect(digestParts('1803 rows, 6ccbc1781d22254d; JSON 0 rows, 0000000000000000')).toEqual(['6ccbc1781d22254d', 'JSON 0000000000000000']);
    expect(digestParts('')).toEqual([]);
  });
});
