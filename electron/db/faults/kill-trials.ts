/**
 * How many kill trials the fault tests run: a few in `npm test`, hundreds in the long mode
 * (`npm run test:faults -- --long` sets STRATA_FAULTS_LONG=1), or exactly STRATA_KILL_TRIALS.
 * The tests append what they measured to STRATA_FAULT_REPORT (JSON lines), which the long
 * mode summarises for docs/reliability.md.
 */
import fs from 'node:fs';

export const LONG = process.env.STRATA_FAULTS_LONG === '1';

export function killTrials(normal: number, long: number): number {
  const asked = Number(process.env.STRATA_KILL_TRIALS);
  if (Number.isInteger(asked) && asked > 0) return asked;
  return LONG ? long : normal;
}

export interface FaultFigure {
  suite: string;
  case: string;
  trials: number;
  killed: number;
  /** Trials whose kill came after the job had already finished (nothing to resume). */
  finishedFirst: number;
  resumed: number;
  ok: number;
  elapsedMs: number;
}

export function reportFigure(figure: FaultFigure): void {
  const file = process.env.STRATA_FAULT_REPORT;
  if (file) fs.appendFileSync(file, `${JSON.stringify({ ...figure, at: new Date().toISOString() })}\n`);
}

/** What a fuzz case ran: generated inputs in how long, none of which broke what it attacked. */
export interface FuzzFigure {
  suite: 'fuzz';
  case: string;
  inputs: number;
  elapsedMs: number;
}

export function reportFuzzFigure(figure: FuzzFigure): void {
  const file = process.env.STRATA_FAULT_REPORT;
  if (file) fs.appendFileSync(file, `${JSON.stringify({ ...figure, at: new Date().toISOString() })}\n`);
}

/** A small deterministic random source, so a failing trial can be run again from its seed. */
export function seeded(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}
