/**
 * Reads an NZB file as events, parsing in a worker thread so the importer's database writes
 * and the XML parsing use both cores. `inline: true` parses on the calling thread instead.
 * `readNzbSteps` reads it as the importer's steps (nzb-import-steps.ts), built in the worker.
 */
import fs from 'node:fs';
import { StrataError, deserializeError } from '../../../../shared/errors';
import { spawnWorker } from '../../spawn-worker';
import { ImportStepper, type ImportStep } from './nzb-import-steps';
import { parseNzb } from './nzb-parser';
import { emptyParseSummary, type NzbEvent, type NzbParseSummary } from './nzb-types';
import { fromColumns, type ParseWorkerInput, type ParseWorkerMessage } from './nzb-worker-protocol';

export interface NzbFileReading {
  events: AsyncGenerator<NzbEvent>;
  summary: NzbParseSummary;
}

export interface NzbStepReading {
  steps: AsyncGenerator<ImportStep>;
  /** Complete once `steps` is. */
  summary: NzbParseSummary;
  /** Files the namer dropped as repeats of an earlier file; complete once `steps` is. */
  duplicateFiles: () => number;
}

export interface ReadNzbFileOptions {
  name: string;
  signal?: AbortSignal;
  inline?: boolean;
  batchSegments?: number;
  /** ParseNzbOptions.maxFileSegments. */
  maxFileSegments?: number;
}

function inlineParse(path: string, options: ReadNzbFileOptions): NzbFileReading {
  return parseNzb(fs.createReadStream(path, { highWaterMark: 256 * 1024 }), {
    name: options.name,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.maxFileSegments === undefined ? {} : { maxFileSegments: options.maxFileSegments }),
  });
}

/**
 * The worker's messages up to its `done` (returned). Credit is granted for each batch as it is
 * taken, so the worker runs at most `maxInFlight` batches ahead of the reader.
 */
async function* workerMessages(input: ParseWorkerInput, options: ReadNzbFileOptions): AsyncGenerator<ParseWorkerMessage, Extract<ParseWorkerMessage, { type: 'done' }>> {
  const worker = spawnWorker('nzb-parse-worker', input);
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
        case 'done':
          return message;
        case 'error':
          throw deserializeError(message.error);
        case 'events':
        case 'step':
          worker.postMessage({ type: 'credit' });
          yield message;
          break;
        default:
          yield message;
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await worker.terminate();
  }
}

const workerInput = (path: string, options: ReadNzbFileOptions): ParseWorkerInput => ({
  path,
  name: options.name,
  batchSegments: options.batchSegments ?? 20_000,
  maxInFlight: 3,
  ...(options.maxFileSegments === undefined ? {} : { maxFileSegments: options.maxFileSegments }),
});

export function readNzbFile(path: string, options: ReadNzbFileOptions): NzbFileReading {
  if (options.inline) return inlineParse(path, options);
  const summary: NzbParseSummary = emptyParseSummary();
  async function* events(): AsyncGenerator<NzbEvent> {
    const messages = workerMessages(workerInput(path, options), options);
    try {
      for (;;) {
        const next = await messages.next();
        if (next.done) {
          Object.assign(summary, next.value.summary);
          return;
        }
        const message = next.value;
        if (message.type === 'head') yield { type: 'head', head: message.head };
        else if (message.type === 'events') yield* fromColumns(message.columns);
      }
    } finally {
      // A reader that stops early stops the worker.
      await messages.return(undefined as never);
    }
  }
  return { events: events(), summary };
}

/**
 * The importer's steps, batches cut at `batchSegments` segments: built in the parse worker,
 * or here for an NZB parsed inline (a small one, where a worker costs more than it saves).
 */
export function readNzbSteps(path: string, options: ReadNzbFileOptions & { batchSegments: number }): NzbStepReading {
  const summary: NzbParseSummary = emptyParseSummary();
  let duplicates = 0;
  async function* inlineSteps(): AsyncGenerator<ImportStep> {
    const reading = inlineParse(path, options);
    const stepper = new ImportStepper(options.batchSegments);
    for await (const event of reading.events) {
      const step = event.type === 'head' ? event : await stepper.add(event);
      if (step) yield step;
    }
    const last = await stepper.finish();
    if (last) yield last;
    Object.assign(summary, reading.summary);
    duplicates = stepper.duplicateFiles;
  }
  async function* workerSteps(): AsyncGenerator<ImportStep> {
    const { batchSegments, ...rest } = options;
    const messages = workerMessages({ ...workerInput(path, rest), importBatchSegments: batchSegments }, options);
    try {
      for (;;) {
        const next = await messages.next();
        if (next.done) {
          Object.assign(summary, next.value.summary);
          duplicates = next.value.duplicateFiles ?? 0;
          return;
        }
        const message = next.value;
        if (message.type === 'head') yield { type: 'head', head: message.head };
        else if (message.type === 'step') yield message.step;
      }
    } finally {
      await messages.return(undefined as never);
    }
  }
  return { steps: options.inline ? inlineSteps() : workerSteps(), summary, duplicateFiles: () => duplicates };
}
