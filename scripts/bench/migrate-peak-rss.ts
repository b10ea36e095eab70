/**
 * Peak resident memory of a process and everything it started, measured from outside through
 * /proc (Linux), the same way for Strata's migration process and for pgloader so the two
 * figures compare. Each sample sums VmRSS over the tree; each process's own kernel-kept
 * high-water mark (VmHWM) is read too, because a spike shorter than the sampling interval
 * shows there and not in the sums.
 */
import fs from 'node:fs';
import { childPids } from '../../electron/db/portable-server/testing';
import { treeCpuMs } from './cpu-time';

const SAMPLE_EVERY_MS = 50;
/** Finding the tree reads every /proc/<pid>/stat; doing it less often keeps the sampler's own CPU small. */
const RESCAN_TREE_EVERY = 10;

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'mu').exec(status);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

export function processTree(root: number): number[] {
  const tree = new Set([root]);
  let frontier = new Set([root]);
  while (frontier.size > 0) {
    const next = new Set([...frontier].flatMap(childPids).filter((pid) => !tree.has(pid)));
    for (const pid of next) tree.add(pid);
    frontier = next;
  }
  return [...tree];
}

export interface PeakRss {
  /** The largest sum of VmRSS over the tree in one sample. */
  treeMb: number;
  /** The largest VmHWM of any one process of the tree. */
  largestProcessMb: number;
  /** max(treeMb, largestProcessMb): the figure reported. */
  peakMb: number;
  samples: number;
  /** CPU milliseconds the tree had used at its last sample (cpu-time.ts). */
  cpuMs: number;
}

export class PeakRssSampler {
  private treeKb = 0;
  private hwmKb = 0;
  private samples = 0;
  private cpuMs = 0;
  private tree: number[];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly root: number) {
    this.tree = [root];
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);
  }

  private sample(): void {
    if (this.samples % RESCAN_TREE_EVERY === 0) this.tree = processTree(this.root);
    let sum = 0;
    for (const pid of this.tree) {
      sum += statusKb(pid, 'VmRSS');
      this.hwmKb = Math.max(this.hwmKb, statusKb(pid, 'VmHWM'));
    }
    this.treeKb = Math.max(this.treeKb, sum);
    // Never falls while the process lives; its very last ticks before exit (< one interval) are lost.
    this.cpuMs = Math.max(this.cpuMs, treeCpuMs(this.root));
    this.samples++;
  }

  /** Stops sampling; call when the process has exited (its last samples are already in). */
  stop(): PeakRss {
    clearInterval(this.timer);
    const mb = (kb: number): number => Math.round(kb / 102.4) / 10;
    return { treeMb: mb(this.treeKb), largestProcessMb: mb(this.hwmKb), peakMb: mb(Math.max(this.treeKb, this.hwmKb)), samples: this.samples, cpuMs: Math.round(this.cpuMs) };
  }
}
