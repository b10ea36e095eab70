/**
 * The database dashboard: where the catalog lives and how big it is, size per table or shard,
 * live query latencies (sampled every few seconds while shown), health and backups, and the
 * planner's recommendation with a way into the wizard.
 */
import { Button, Skeleton, SkeletonItem, Text } from '@fluentui/react-components';
import { DatabaseArrowUp20Regular } from '@fluentui/react-icons';
import { useEffect, useState, type ReactNode } from 'react';
import { formatBytes } from '../../../../shared/format';
import { useRead } from '../../api/calls';
import { useNavigation } from '../../app/navigation';
import { ErrorMessage } from '../../errors/ErrorMessage';
import { useCatalogStats } from '../../hooks/catalog';
import { useManagerPlan, useStoreSizes } from '../../hooks/database';
import { describeStore } from '../wizard/tier-options';
import { formatEstimate } from '../wizard/move-progress';
import { HealthCard } from './HealthCard';
import { LatencyPanel } from './LatencyPanel';
import { SizeChart, barsOf } from './SizeChart';
import { SummaryCards } from './SummaryCards';
import { useDashboardStyles } from './dashboard-styles';
import { latencyHistory } from './latency-history';

/** manager/status every 5 s while the dashboard is shown (the same cached read the shell polls slowly). */
function useSampledStatus() {
  const status = useRead('manager/status', {}, { refetchInterval: 5_000 });
  const [history, setHistory] = useState(latencyHistory.get());
  const data = status.data;
  useEffect(() => {
    if (data) setHistory(latencyHistory.add(data.live, status.dataUpdatedAt));
  }, [data, status.dataUpdatedAt]);
  return { status, history };
}

function Card({ title, children, id }: { title: string; id: string; children: ReactNode }) {
  const d = useDashboardStyles();
  return (
    <section className={d.card} aria-labelledby={id}>
      <Text className={d.heading} as="h2" id={id} size={400} weight="semibold">
        {title}
      </Text>
      {children}
    </section>
  );
}

export function DashboardScreen() {
  const d = useDashboardStyles();
  const nav = useNavigation();
  const { status, history } = useSampledStatus();
  const stats = useCatalogStats();
  const sizes = useStoreSizes();
  const plan = useManagerPlan();
  const s = status.data;
  const error = status.error ?? stats.error;
  if (error) {
    return (
      <div className={d.page}>
        <ErrorMessage error={error} onRetry={() => void Promise.all([status.refetch(), stats.refetch()])} />
      </div>
    );
  }
  if (!s || !stats.data) {
    return (
      <div className={d.page}>
        <Skeleton aria-label="Reading the database’s figures">
          <SkeletonItem size={32} />
          <SkeletonItem size={96} />
          <SkeletonItem size={128} />
        </Skeleton>
      </div>
    );
  }
  const rec = plan.data?.recommendation ?? s.recommendation;
  const shards = sizes.data?.shards?.length ?? null;
  return (
    <div className={d.page}>
      <header className={d.header}>
        <div className={d.titles}>
          <Text className={d.heading} as="h1" size={600} weight="semibold">
            Database
          </Text>
          <Text className={d.muted}>
            Tier {stats.data.tier} · {describeStore({ ...s.store, ...(shards ? { shards } : {}) })} · schema version {stats.data.schemaVersion} · {s.store.location}
          </Text>
        </div>
        <span className={d.spacer} />
        <Button appearance="primary" icon={<DatabaseArrowUp20Regular />} onClick={() => nav.go('upgrade')}>
          Upgrade database…
        </Button>
      </header>
      <SummaryCards stats={stats.data} status={s} freeBytes={plan.data?.input.freeDiskBytes ?? null} />
      <div className={d.grid}>
        <Card title={sizes.data?.shards ? 'Size on disk per table and shard' : 'Size on disk per table'} id="sizes-title">
          {sizes.error ? (
            <ErrorMessage error={sizes.error} onRetry={() => void sizes.refetch()} />
          ) : sizes.data ? (
            barsOf(sizes.data.tables, sizes.data.shards).length > 0 ? (
              <SizeChart bars={barsOf(sizes.data.tables, sizes.data.shards)} label="Size on disk" />
            ) : (
              <Text className={d.muted}>This engine does not report sizes per table; the store takes {formatBytes(sizes.data.dbBytes)} in all.</Text>
            )
          ) : (
            <Skeleton aria-label="Measuring tables">
              <SkeletonItem size={16} />
              <SkeletonItem size={16} />
              <SkeletonItem size={16} />
            </Skeleton>
          )}
        </Card>
        <Card title="Query latency" id="latency-title">
          <LatencyPanel live={s.live} history={history} />
        </Card>
        <Card title="Health and backups" id="health-title">
          <HealthCard status={s} />
        </Card>
        <Card title="Recommendation" id="rec-title">
          {rec ? (
            <>
              <Text weight="semibold">
                {rec.action === 'stay' ? 'Stay on ' + describeStore(s.store) : `${rec.action === 'reshard' ? 'Re-shard to' : 'Move to'} ${rec.target ? describeStore(rec.target) : ''}`}
              </Text>
              <ul className={d.list} aria-label="Reasons">
                {rec.reasons.map((r) => (
                  <li key={r}>
                    <Text>{r}</Text>
                  </li>
                ))}
              </ul>
              {rec.estimate && (
                <Text className={d.muted}>
                  Estimated: {formatEstimate(rec.estimate.ms)}, {formatBytes(rec.estimate.diskBytes)} of disk{rec.blockedBy ? `; it cannot start now: it ${rec.blockedBy}` : ''}.
                </Text>
              )}
              {rec.action !== 'stay' && (
                <div className={d.actions}>
                  <Button onClick={() => nav.go('upgrade')}>Review in the wizard…</Button>
                </div>
              )}
            </>
          ) : (
            <Text className={d.muted}>The planner has not run yet.</Text>
          )}
        </Card>
      </div>
    </div>
  );
}
