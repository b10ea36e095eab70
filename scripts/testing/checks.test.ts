import { describe, expect, it } from 'vitest';
import { runChecks, type Check } from './checks';

const node = (name: string, code: string): Check => ({ name, args: ['-e', code] });

describe('runChecks', () => {
  it('runs the checks two at a time, keeps each one\'s output whole, and reports a failure with its output', async () => {
    // Each check records when it ran; a third must wait for one of the first two to end.
    const sleeper = (name: string, ms: number): Check => node(name, `const t=Date.now();setTimeout(()=>{console.log('${name}',t,Date.now())},${ms})`);
    const failing = node('broken', "console.error('src/x.ts(1,1): error TS2304'); process.exit(2)");
    const reported: string[] = [];
    const outcomes = await runChecks([sleeper('a', 600), sleeper('b', 600), sleeper('c', 100), failing], 2, (o) => reported.push(o.name));
    expect(reported).toHaveLength(4);
    const span = (name: string): [number, number] => {
      const line = outcomes.find((o) => o.name === name)!.output.trim().split(' ');
      return [Number(line[1]), Number(line[2])];
    };
    const [a, b, c] = [span('a'), span('b'), span('c')];
    // a and b overlapped; c started only after one of them ended.
    expect(Math.max(a[0], b[0])).toBeLessThan(Math.min(a[1], b[1]));
    expect(c[0]).toBeGreaterThanOrEqual(Math.min(a[1], b[1]) - 5);
    const broken = outcomes.find((o) => o.name === 'broken')!;
    expect(broken.code).toBe(2);
    expect(broken.output).toContain('error TS2304');
    expect(outcomes.filter((o) => o.code === 0).map((o) => o.name).sort()).toEqual(['a', 'b', 'c']);
  });
});
