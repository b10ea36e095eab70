// Starts a TypeScript worker-thread entry when running from sources (CLI, tests): loader
// flags such as --import do not reach worker threads, so the worker registers tsx itself.
// A packaged build bundles the worker as JavaScript and never loads this file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__entry);
