/**
 * `npm run bench -- cli [--runs N]`: how long `strata --help` and `strata stats` on a small
 * catalog take as a user runs them (bin/strata.js in a new process, the bundle current), beside
 * `node -e 0` measured in the same run, so the ratios hold on a loaded machine.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { log, round, tempDir } from './bench-utils';

const BIN = path.resolve('bin/strata.js');

/**
 * CPU time (user + system) of this process's waited-for children, from /proc/self/stat (Linux;
 * null elsewhere). On a loaded machine a call's wall time is mostly waiting for a core; its CPU
 * time is what the command itself costs, so it is reported beside the wall time.
 */
function childrenCpuMs(): number | null {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; cutime and cstime are 16 and 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // USER_HZ is 100 on every Linux Node runs on.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return null;
  }
}

function timeMs(args: string[]): { wall: number; cpu: number | null } {
  const cpu = childrenCpuMs();
  const t = performance.now();
  execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, STRATA_DATA_DIR: '' } });
  const wall = performance.now() - t;
  const after = childrenCpuMs();
  return { wall, cpu: cpu === null || after === null ? null : after - cpu };
}

const median = (times: number[]): number => round([...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] as number, 1);

export function cliStartBench(opts: { runs: number }): Record<string, unknown> {
  const data = tempDir('cli');
  try {
    log('a 2,000-segment catalog, and the bundle brought up to date…');
    execFileSync(process.execPath, [BIN, 'generate', '--segments', '2000', '--data', data, '--json'], { stdio: 'ignore' });
    // The three interleaved in each round, so a change in the machine's load falls on all three.
    const runs = { node: [] as ReturnType<typeof timeMs>[], help: [] as ReturnType<typeof timeMs>[], stats: [] as ReturnType<typeof timeMs>[] };
    for (let i = 0; i < opts.runs; i++) {
      runs.node.push(timeMs(['-e', '0']));
      runs.help.push(timeMs([BIN, '--help']));
      runs.stats.push(timeMs([BIN, 'stats', '--data', data]));
    }
    const wall = (r: ReturnType<typeof timeMs>[]): number => median(r.map((x) => x.wall));
    const cpu = (r: ReturnType<typeof timeMs>[]): number | null => (r.every((x) => x.cpu !== null) ? median(r.map((x) => x.cpu as number)) : null);
    const [node, help, stats] = [wall(runs.node), wall(runs.help), wall(runs.stats)];
    return {
      bench: 'cli',
      runs: opts.runs,
      node_e0_ms: node,
      help_ms: help,
      stats_ms: stats,
      help_vs_node: round(help / node, 2),
      stats_vs_node: round(stats / node, 2),
      node_e0_cpu_ms: cpu(runs.node),
      help_cpu_ms: cpu(runs.help),
      stats_cpu_ms: cpu(runs.stats),
      load_average: os.loadavg().map((l) => round(l, 2)),
    };
  } finally {
    fs.rmSync(data, { recursive: true, force: true });
  }
}
