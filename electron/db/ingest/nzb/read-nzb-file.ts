/**
 * Reads an NZB file as events, parsing in a worker thread so the importer's database writes
 * and the XML parsing use both cores. `inline: true` parses on the calling thread instead.
 */
import fs from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { StrataError, deserializeError } from '../../../../shared/errors';
import { spawnWorker } from '../../spawn-worker';
import { parseNzb } from './nzb-parser';
import { emptyParseSummary, type NzbEvent, type NzbParseSummary } from './nzb-types';
import { fromColumns, type ParseWorkerInput, type ParseWorkerMessage } from './nzb-worker-protocol';

export interface NzbFileReading {
  events: AsyncGenerator<NzbEvent>;
  summary: NzbParseSummary;
}


export interface ReadNzbFileOptions {
  name: string;
  signal?: AbortSignal;
  inline?: boolean;
  batchSegments?: number;
  /** ParseNzbOptions.maxFileSegments. */
  maxFileSegments?: number;
}

function startWorker(input: ParseWorkerInput): Worker {
  return spawnWorker('nzb-parse-worker', input);
}

export function readNzbFile(path: string, options: ReadNzbFileOptions): NzbFileReading {
  if (options.inline) {
    return parseNzb(fs.createReadStream(path, { highWaterMark: 256 * 1024 }), {
      name: options.name,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.maxFileSegments === undefined ? {} : { maxFileSegments: options.maxFileSegments }),
    });
  }
  const summary: NzbParseSummary = emptyParseSummary();
  async function* events(): AsyncGenerator<NzbEvent> {
    const input: ParseWorkerInput = {
      path,
      name: options.name,
      batchSegments: options.batchSegments ?? 20_000,
      maxInFlight: 3,
      ...(options.maxFileSegments === undefined ? {} : { maxFileSegments: options.maxFileSegments }),
    };
    const worker = startWorker(input);
    const inbox: ParseWorkerMessage[] = [];
    let wake: (() => void) | null = null;
    let exitError: Error | null = null;
    let exited = false;
    worker.on('message', (m: ParseWorkerMessage) => {
      inbox.push(m);
      wake?.();
    });
    worker.on('error', (e) => {
      exitError = e;
      wake?.();
    });
    worker.on('exit', () => {
      exited = true;
      wake?.();
    });
    // Stopped, the worker posts nothing more: the waiting loop is woken to see the abort itself.
    const onAbort = (): void => {
      worker.postMessage({ type: 'stop' });
      wake?.();
    };
    options.signal?.addEventListener('abort', onAbort);
    try {
      for (;;) {
        if (options.signal?.aborted) throw new StrataError('cancelled', `Reading ${options.name} was cancelled.`);
        const message = inbox.shift();
        if (!message) {
          if (exitError) throw new StrataError('internal', `The NZB reader stopped unexpectedly: ${(exitError as Error).message}`);
          if (exited) throw new StrataError('internal', `The NZB reader for ${options.name} ended without a result.`);
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          continue;
        }
        switch (message.type) {
          case 'head':
            yield { type: 'head', head: message.head };
            break;
          case 'events':
            worker.postMessage({ type: 'credit' });
            yield* fromColumns(message.columns);
            break;
          case 'done':
            Object.assign(summary, message.summary);
            return;
          case 'error':
            throw deserializeError(message.error);
        }
      }
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      await worker.terminate();
    }
  }
  return { events: events(), summary };
}
