/** Live query latencies: p50/p95/p99 per kind from manager/status, and their p95 over time. */
import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import { formatCount } from '../../../../shared/format';
import type { LiveStats } from '../../../../shared/manager';
import { LatencyChart } from './LatencyChart';
import { KIND_LABELS, LATENCY_KINDS, formatMs, type LatencySample } from './latency-history';
import { useDashboardStyles } from './dashboard-styles';

export function LatencyPanel({ live, history }: { live: LiveStats; history: readonly LatencySample[] }) {
  const d = useDashboardStyles();
  return (
    <>
      <Table size="small" aria-label="Query latencies since the store opened (most recent 2,048 of each kind)">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Query</TableHeaderCell>
            <TableHeaderCell className={d.num}>p50</TableHeaderCell>
            <TableHeaderCell className={d.num}>p95</TableHeaderCell>
            <TableHeaderCell className={d.num}>p99</TableHeaderCell>
            <TableHeaderCell className={d.num}>Measured</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {LATENCY_KINDS.map((k) => {
            const l = live.latencies[k];
            return (
              <TableRow key={k}>
                <TableCell>{KIND_LABELS[k]}</TableCell>
                <TableCell className={d.num}>{formatMs(l.p50Ms)}</TableCell>
                <TableCell className={d.num}>{formatMs(l.p95Ms)}</TableCell>
                <TableCell className={d.num}>{formatMs(l.p99Ms)}</TableCell>
                <TableCell className={d.num}>{formatCount(l.count)}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      {history.length < 2 ? (
        <Text className={d.muted}>The chart fills in as Strata samples the latencies every 5 seconds while this screen is open.</Text>
      ) : (
        <LatencyChart history={history} />
      )}
    </>
  );
}
