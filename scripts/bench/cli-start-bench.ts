/**
 * `npm run bench -- cli [--runs N]`: how long `strata --help` and `strata stats` on a small
 * catalog take as a user runs them (bin/strata.js in a new process, the bundle current), beside
 * `node -e 0` measured in the same run, so the ratios hold on a loaded machine.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { log, round, tempDir } from './bench-utils';

const BIN = path.resolve('bin/strata.js');

function timeMs(args: string[]): number {
  const t = performance.now();
  execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, STRATA_DATA_DIR: '' } });
  return performance.now() - t;
}

const median = (times: number[]): number => round([...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] as number, 1);

export function cliStartBench(opts: { runs: number }): Record<string, unknown> {
  const data = tempDir('cli');
  try {
    log('a 2,000-segment catalog, and the bundle brought up to date…');
    execFileSync(process.execPath, [BIN, 'generate', '--segments', '2000', '--data', data, '--json'], { stdio: 'ignore' });
    // The three interleaved in each round, so a change in the machine's load falls on all three.
    const times = { node: [] as number[], help: [] as number[], stats: [] as number[] };
    for (let i = 0; i < opts.runs; i++) {
      times.node.push(timeMs(['-e', '0']));
      times.help.push(timeMs([BIN, '--help']));
      times.stats.push(timeMs([BIN, 'stats', '--data', data]));
    }
    const [node, help, stats] = [median(times.node), median(times.help), median(times.stats)];
    return {
      bench: 'cli',
      runs: opts.runs,
      node_e0_ms: node,
      help_ms: help,
      stats_ms: stats,
      help_vs_node: round(help / node, 2),
      stats_vs_node: round(stats / node, 2),
    };
  } finally {
    fs.rmSync(data, { recursive: true, force: true });
  }
}
