/**
 * The CI workflows, checked here so a broken one fails before it reaches a runner: each file in
 * .github/workflows against GitHub's workflow schema (@action-validator/core), and the release
 * workflow for what it must do (build on Windows and Linux, smoke-test the installed app, the
 * portable exe from an awkward path and the AppImage, keep the artifacts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

const DIR = path.resolve(import.meta.dirname, '..', '.github', 'workflows');
const files = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/u.test(f));

interface Workflow {
  jobs: Record<string, { 'runs-on': string; steps: { run?: string; uses?: string; name?: string }[] }>;
}

describe('the workflows', () => {
  it('has the release workflow', () => {
    expect(files).toContain('release.yml');
  });

  it.each(files)('%s fits GitHub\'s workflow schema', (file) => {
    const state = validateWorkflow(fs.readFileSync(path.join(DIR, file), 'utf8'));
    expect(state.errors).toEqual([]);
  });

  it('finds a broken workflow broken (the validator is live)', () => {
    const text = fs.readFileSync(path.join(DIR, 'release.yml'), 'utf8').replace('runs-on: windows-latest', 'runs_on: windows-latest');
    expect(validateWorkflow(text).errors.length).toBeGreaterThan(0);
  });

  it('builds, installs and smoke-tests on Windows and Linux, and keeps the artifacts', () => {
    const wf = yaml.load(fs.readFileSync(path.join(DIR, 'release.yml'), 'utf8')) as Workflow;
    const script = (job: string): string => wf.jobs[job]!.steps.map((s) => s.run ?? s.uses ?? '').join('\n');
    expect(wf.jobs.windows!['runs-on']).toMatch(/^windows/u);
    const win = script('windows');
    expect(win).toMatch(/pack:postgres -- --platform windows-x64/u);
    expect(win).toMatch(/electron-builder --win nsis portable/u);
    expect(win).toMatch(/'\/S'/u);
    // Installed, then portable from a folder with a space and non-ASCII characters.
    expect(win.match(/--smoke-test/gu)).toHaveLength(2);
    expect(win).toMatch(/Strata Portable [^\x00-\x7f]/u);
    expect(win).toMatch(/Uninstall Strata\.exe/u);
    expect(win).toMatch(/actions\/upload-artifact/u);
    const linux = script('linux');
    expect(linux).toMatch(/xvfb-run .*AppImage.*--smoke-test|xvfb-run .*"\$appimage".*--smoke-test/u);
    expect(linux).toMatch(/actions\/upload-artifact/u);
  });

  it('releases, on a version tag, what both platforms proved, with the update metadata the app reads', () => {
    const text = fs.readFileSync(path.join(DIR, 'release.yml'), 'utf8');
    const wf = yaml.load(text) as { jobs: Record<string, { needs?: string[]; if?: string; permissions?: Record<string, string>; steps: { run?: string; with?: { path?: string } }[] }> };
    const kept = (job: string): string => wf.jobs[job]!.steps.map((s) => s.with?.path ?? '').join('\n');
    // electron-builder writes these beside the installers from electron-builder.yml's publish block.
    expect(kept('windows')).toMatch(/latest\.yml/u);
    expect(kept('windows')).toMatch(/\*\.blockmap/u);
    expect(kept('linux')).toMatch(/latest-linux\.yml/u);
    const release = wf.jobs.release!;
    expect(release.needs).toEqual(['windows', 'linux']);
    expect(release.if).toMatch(/refs\/tags\/v/u);
    expect(release.permissions).toEqual({ contents: 'write' });
    const script = release.steps.map((s) => s.run ?? '').join('\n');
    expect(script).toMatch(/gh release create .*--draft/u);
    for (const asset of ['latest.yml', 'latest-linux.yml', '*.blockmap', '*.AppImage', '*.exe']) expect(script).toContain(asset);
  });
});
