/**
 * How a browser sends a file to the headless host: consecutive chunks of at most the host's
 * chunk size, each as base64 (the protocol is JSON over a WebSocket). Pure: tested under Node.
 */

export interface Chunk {
  offset: number;
  length: number;
}

export function chunkPlan(size: number, chunkBytes: number): Chunk[] {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`A file size is a whole number of bytes, not ${size}.`);
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1) throw new RangeError(`A chunk holds at least one byte, not ${chunkBytes}.`);
  const chunks: Chunk[] = [];
  for (let offset = 0; offset < size; offset += chunkBytes) chunks.push({ offset, length: Math.min(chunkBytes, size - offset) });
  return chunks;
}

/** Base64 of bytes, built in slices so a 1 MiB chunk never makes one giant argument list. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const SLICE = 0x8000;
  for (let i = 0; i < bytes.length; i += SLICE) binary += String.fromCharCode(...bytes.subarray(i, i + SLICE));
  return btoa(binary);
}
