/** The jobs, newest first; its clock ticks only while one runs (elapsed times). */
import { makeStyles } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { Job } from '../../jobs/job-store';
import { JobRow } from './JobRow';

const useStyles = makeStyles({ list: { listStyle: 'none', margin: 0, padding: 0 } });

export function JobList({ jobs, label }: { jobs: readonly Job[]; label: string }) {
  const styles = useStyles();
  const running = jobs.some((j) => j.state === 'running');
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return undefined;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [running]);
  return (
    <ul className={styles.list} aria-label={label}>
      {jobs.map((j) => (
        <JobRow key={j.id} job={j} now={running ? now : Date.now()} />
      ))}
    </ul>
  );
}
