/** Parser behaviours found in review: limits that '>' cannot reset, and chunking that cannot hide the encoding. */
import { describe, expect, it } from 'vitest';
import { StrataError } from '../../../../shared/errors';
import { readNzb } from './nzb-parser';
import { chunks } from './nzb-testing';

const HEAD = '<?xml version="1.0" encoding="iso-8859-1"?>\n<nzb xmlns="http://www.newzbin.com/DTD/2003/nzb">';
const file = (id: string): string =>
  `<file subject="&quot;a.bin&quot; yEnc (1/1)" poster="p" date="1"><groups><group>a.b</group></groups><segments><segment bytes="1" number="1">${id}</segment></segments></file>`;

describe('parseNzb', () => {
  it("bounds a text run even when it is full of '>' and arrives in one piece", async () => {
    const sneaky = 'A>'.repeat(300_000);
    const error = await readNzb(chunks(HEAD, file(sneaky), '</nzb>'), { name: 'sneaky.nzb', maxRunChars: 100_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StrataError);
    expect((error as StrataError).code).toBe('nzb-invalid');
    const whole = await readNzb(chunks(HEAD + file('B'.repeat(500_000)) + '</nzb>'), { name: 'one-piece.nzb', maxRunChars: 100_000 }).catch((e: unknown) => e);
    expect((whole as StrataError).code).toBe('nzb-invalid');
  });

  it('reads the declared encoding however small the first chunks are', async () => {
    const bytes = Buffer.concat([Buffer.from(HEAD, 'latin1'), Buffer.from(file('caf\u00e9@x'), 'latin1'), Buffer.from('</nzb>')]);
    const pieces: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 7) pieces.push(bytes.subarray(i, i + 7));
    const parsed = await readNzb(chunks(...pieces), { name: 'tiny-chunks.nzb' });
    expect(parsed.files[0]?.segments[0]?.messageId).toBe('caf\u00e9@x');
  });

  it('names the line and column of an XML error once', async () => {
    const error = (await readNzb(chunks(HEAD, '<file subject="x"><groups></file></nzb>'), { name: 'bad.nzb' }).catch((e: unknown) => e)) as StrataError;
    expect(error.message).toMatch(/^bad\.nzb is not a well-formed NZB \(line 2, column \d+: [^\d]/u);
  });
});
