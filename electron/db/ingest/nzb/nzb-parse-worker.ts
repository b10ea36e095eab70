/**
 * Worker-thread entry: parses one NZB file and posts its files in batches, so XML parsing runs
 * on the second core while the database writes on the first. The main thread grants credit
 * per batch it has taken; without credit the worker waits, so memory stays bounded however
 * far ahead the parser could run.
 */
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../../../../shared/errors';
import { parseNzb } from './nzb-parser';
import { ImportStepper, stepTransfer, type ImportStep } from './nzb-import-steps';
import { toColumns, type FileEvent, type ParseWorkerInput, type ParseWorkerMessage } from './nzb-worker-protocol';

const input = workerData as ParseWorkerInput;
const port = parentPort;
if (!port) throw new Error('nzb-parse-worker must run as a worker thread');

let credit = input.maxInFlight;
let wake: (() => void) | null = null;
let stopped = false;
port.on('message', (message: { type: 'credit' } | { type: 'stop' }) => {
  if (message.type === 'stop') stopped = true;
  else credit++;
  wake?.();
  wake = null;
});

const post = (message: ParseWorkerMessage): void => port.postMessage(message);

async function takeCredit(): Promise<void> {
  while (credit <= 0 && !stopped) await new Promise<void>((resolve) => (wake = resolve));
  credit--;
}

async function send(events: FileEvent[]): Promise<void> {
  await takeCredit();
  const columns = toColumns(events);
  port!.postMessage({ type: 'events', columns } satisfies ParseWorkerMessage, [columns.counts.buffer, columns.numbers.buffer, columns.bytes.buffer]);
}

async function sendStep(step: ImportStep | null): Promise<void> {
  if (step === null) return;
  await takeCredit();
  port!.postMessage({ type: 'step', step } satisfies ParseWorkerMessage, stepTransfer(step));
}

try {
  const parsed = parseNzb(fs.createReadStream(input.path, { highWaterMark: 256 * 1024 }), {
    name: input.name,
    ...(input.maxFileSegments === undefined ? {} : { maxFileSegments: input.maxFileSegments }),
  });
  // The importer's steps: the files named, the dupe key's text and the columns built here.
  const stepper = input.importBatchSegments === undefined ? null : new ImportStepper(input.importBatchSegments);
  let pending: FileEvent[] = [];
  let pendingSegments = 0;
  for await (const event of parsed.events) {
    if (stopped) break;
    if (event.type === 'head') {
      post({ type: 'head', head: event.head });
      continue;
    }
    if (stepper) {
      await sendStep(await stepper.add(event));
      continue;
    }
    pending.push(event);
    pendingSegments += event.type === 'file' || event.type === 'file-start' ? event.file.segments.length : event.type === 'file-segments' ? event.segments.length : (event.end.tail?.length ?? 0);
    if (pendingSegments >= input.batchSegments) {
      await send(pending);
      pending = [];
      pendingSegments = 0;
    }
  }
  if (!stopped && stepper) {
    await sendStep(await stepper.finish());
    post({ type: 'done', summary: parsed.summary, duplicateFiles: stepper.duplicateFiles });
  } else if (!stopped) {
    if (pending.length > 0) await send(pending);
    post({ type: 'done', summary: parsed.summary });
  }
} catch (error) {
  post({ type: 'error', error: serializeError(error), message: (error as Error).message });
}
