/**
 * p95 latency per query kind over the last ten minutes, drawn by uPlot (small, fast, canvas).
 * A canvas cannot read CSS variables, so the series take their colours from the Fluent tokens
 * as the theme resolves them on this element; the chart is redrawn when the theme changes.
 */
import { makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useTheme } from '../../app/theme';
import { KIND_LABELS, LATENCY_KINDS, chartColumns, describeHistory, formatMs, type LatencySample } from './latency-history';

const useStyles = makeStyles({
  root: { width: '100%', minHeight: '180px', color: tokens.colorNeutralForeground2 },
});

const SERIES_TOKENS = ['--colorBrandForeground1', '--colorPaletteDarkOrangeForeground1', '--colorPaletteBerryForeground1'];

export function LatencyChart({ history }: { history: readonly LatencySample[] }) {
  const styles = useStyles();
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const { dark } = useTheme();

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const css = getComputedStyle(el);
    const color = (name: string): string => css.getPropertyValue(name).trim();
    const axis = { stroke: color('--colorNeutralForeground2'), grid: { stroke: color('--colorNeutralStroke2'), width: 1 }, ticks: { stroke: color('--colorNeutralStroke2'), width: 1 } };
    const opts: uPlot.Options = {
      width: Math.max(240, el.clientWidth),
      height: 180,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.2)] } },
      axes: [axis, { ...axis, label: 'ms (p95)', values: (_u, splits) => splits.map((v) => formatMs(v)) , size: 70 }],
      series: [{}, ...LATENCY_KINDS.map((k, i) => ({ label: KIND_LABELS[k], stroke: color(SERIES_TOKENS[i]!), width: 2, spanGaps: true, value: (_u: uPlot, v: number | null) => formatMs(v) }))],
    };
    plot.current = new uPlot(opts, chartColumns(history), el);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(240, el.clientWidth), height: 180 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Built once per theme (history is read only for the first draw); data updates go through setData below.
  }, [dark]);

  useEffect(() => {
    plot.current?.setData(chartColumns(history));
  }, [history]);

  return <div ref={box} className={styles.root} role="img" aria-label={describeHistory(history)} />;
}
