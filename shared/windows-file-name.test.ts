import { describe, expect, it } from 'vitest';
import { SAFE_NAME_LENGTH, isWindowsReservedName, takenIn, uniqueFileName, windowsSafeFileName } from './windows-file-name';

const nzb = (name: string): string => windowsSafeFileName(name, { extension: '.nzb' });

describe('isWindowsReservedName', () => {
  it('knows the device names in any case, with or without an extension', () => {
    for (const name of ['CON', 'con', 'Prn', 'AUX', 'NUL', 'nul.txt', 'NUL.tar.gz', 'COM1', 'com9.nzb', 'COM0', 'LPT1', 'lpt9', 'LPT0.log', 'CON .txt', 'CONIN$', 'conout$.x'])
      expect(isWindowsReservedName(name), name).toBe(true);
  });

  it('knows the superscript-digit ports Windows also reserves', () => {
    for (const name of ['COM¹', 'COM²', 'com³.nzb', 'LPT¹', 'LPT²', 'LPT³']) expect(isWindowsReservedName(name), name).toBe(true);
  });

  it('leaves names that only contain or resemble a device name alone', () => {
    for (const name of ['CONSOLE', 'con-1', 'nullable.nzb', 'COM10', 'LPT', 'COM', 'xCON', 'my.con', 'COM⁴', 'AUX_'])
      expect(isWindowsReservedName(name), name).toBe(false);
  });
});

describe('windowsSafeFileName', () => {
  it('keeps an ordinary name, adding the extension once', () => {
    expect(nzb('Holiday 2024')).toBe('Holiday 2024.nzb');
    expect(nzb('Release.NZB')).toBe('Release.nzb');
    expect(nzb('Ünïcödé – 東京 🎞️')).toBe('Ünïcödé – 東京 🎞️.nzb');
  });

  it('turns device names into names that are files', () => {
    expect(nzb('CON')).toBe('CON_.nzb');
    expect(nzb('nul')).toBe('nul_.nzb');
    expect(nzb('CON.nzb')).toBe('CON_.nzb');
    expect(nzb('com1.part01')).toBe('com1_.part01.nzb');
    expect(nzb('LPT³')).toBe('LPT³_.nzb');
    expect(windowsSafeFileName('aux')).toBe('aux_');
    for (const name of ['CON', 'nul.txt', 'COM²', 'conin$']) expect(isWindowsReservedName(nzb(name))).toBe(false);
  });

  it('replaces the characters Windows refuses and control characters', () => {
    expect(nzb('a<b>c:d"e/f\\g|h?i*j')).toBe('a_b_c_d_e_f_g_h_i_j.nzb');
    expect(nzb('tab\there\u0000\u001f\u007fend')).toBe('tab_here_end.nzb');
    expect(nzb('what?*?')).toBe('what_.nzb');
  });

  it('drops trailing dots and spaces, which Windows would strip', () => {
    expect(nzb('Season 1. ')).toBe('Season 1.nzb');
    expect(nzb('dots...')).toBe('dots.nzb');
    expect(windowsSafeFileName('  name  . .')).toBe('name');
  });

  it('falls back when nothing usable is left', () => {
    expect(nzb('')).toBe('export.nzb');
    expect(nzb('...')).toBe('export.nzb');
    expect(nzb('   ')).toBe('export.nzb');
    expect(windowsSafeFileName('?', { fallback: 'file' })).toBe('_');
    expect(windowsSafeFileName('. .', { fallback: 'file' })).toBe('file');
  });

  it('cuts long names, keeping the extension and never splitting a character', () => {
    const long = nzb('x'.repeat(1000));
    expect(long).toHaveLength(SAFE_NAME_LENGTH);
    expect(long.endsWith('.nzb')).toBe(true);
    const emoji = windowsSafeFileName('a' + '🎞'.repeat(300), { maxLength: 10 });
    expect(emoji.length).toBeLessThanOrEqual(10);
    expect(emoji).toBe('a🎞🎞🎞🎞');
    // A cut that ends in a dot or space is tidied again.
    expect(windowsSafeFileName('abcd.    efgh', { maxLength: 8 })).toBe('abcd');
  });
});

describe('uniqueFileName', () => {
  it('numbers a name already taken in the folder, case-insensitively', () => {
    const taken = takenIn(['Release.nzb', 'release (2).NZB']);
    expect(uniqueFileName('Other.nzb', taken)).toBe('Other.nzb');
    expect(uniqueFileName('RELEASE.nzb', taken)).toBe('RELEASE (3).nzb');
  });

  it('numbers before a double extension when told it', () => {
    expect(uniqueFileName('a.nzb.gz', takenIn(['a.nzb.gz']), '.nzb.gz')).toBe('a (2).nzb.gz');
    expect(uniqueFileName('a.nzb.gz', takenIn(['a.nzb.gz']))).toBe('a.nzb (2).gz');
    expect(uniqueFileName('noext', takenIn(['noext']))).toBe('noext (2)');
  });

  it('gives distinct names to sources that sanitize alike', () => {
    const used: string[] = [];
    for (const source of ['a?b', 'a*b', 'A|B', 'con', 'CON.']) used.push(uniqueFileName(nzb(source), takenIn(used)));
    expect(used).toEqual(['a_b.nzb', 'a_b (2).nzb', 'A_B (3).nzb', 'con_.nzb', 'CON_ (2).nzb']);
  });
});
