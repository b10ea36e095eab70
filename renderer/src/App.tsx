// The first screen: which catalog this is and what it holds, read through the same typed API
// in the desktop app and in a browser. The full catalog screens build on this connection.
import { useEffect, useState } from 'react';
import type { Collection } from '../../shared/domain';
import type { StatsResult } from '../../shared/ipc/contract';
import { formatBytes as bytes } from '../../shared/format';
import { connect } from './browser-connection';

const api = connect();

export function App() {
  const [stats, setStats] = useState<StatsResult | null>(null);
  const [collections, setCollections] = useState<Collection[]>([]);
  const [error, setError] = useState<string | null>(typeof api === 'string' ? api : null);
  const [status, setStatus] = useState<string | null>(null);

  useEffect(() => {
    if (typeof api === 'string') return;
    const load = (): void => {
      Promise.all([api['catalog/stats']({}), api['collections/list']({})])
        .then(([s, c]) => {
          setStats(s);
          setCollections(c);
          setError(null);
        })
        .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    };
    load();
    // A restarted database process says so, then 'ready': the screen reloads what it shows.
    return api.on('db/status', (s) => {
      if (s.state === 'ready') {
        setStatus(null);
        load();
      } else if (s.state !== 'starting') {
        setStatus(s.detail ?? `The database is ${s.state}.`);
      }
    });
  }, []);

  return (
    <main className="app">
      <header>
        <h1>Strata</h1>
        {stats && (
          <span className="tier">
            Tier {stats.tier} · {stats.engine} · {bytes(stats.dbBytes)} on disk
          </span>
        )}
      </header>
      {status && <p className="notice">{status}</p>}
      {error && <p className="error">{error}</p>}
      {stats && (
        <section className="totals">
          <div><b>{stats.collections.toLocaleString()}</b> collections</div>
          <div><b>{stats.files.toLocaleString()}</b> files</div>
          <div><b>{stats.segments.toLocaleString()}</b> segments</div>
          <div><b>{bytes(stats.bytes)}</b> catalogued</div>
        </section>
      )}
      <table>
        <thead>
          <tr><th>Collection</th><th>Source</th><th>Files</th><th>Segments</th><th>Uploaded</th><th>Size</th></tr>
        </thead>
        <tbody>
          {collections.map((c) => (
            <tr key={c.id}>
              <td>{c.name}</td>
              <td>{c.source}</td>
              <td>{c.fileCount.toLocaleString()}</td>
              <td>{c.segmentCount.toLocaleString()}</td>
              <td>{c.segmentCount === 0 ? '—' : `${Math.round((c.uploadedSegments / c.segmentCount) * 100)}%`}</td>
              <td>{bytes(c.bytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
