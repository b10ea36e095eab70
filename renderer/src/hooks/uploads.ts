/**
 * The upload functions of the typed API (uploads/begin, chunk, finish, discard; nzb/import by
 * upload id), as the upload client's transport. They come with the host's confinement work;
 * until the API in hand has them, an upload says so in words instead of failing obscurely.
 */
import { StrataError } from '../../../shared/errors';
import type { StrataApi } from '../../../shared/ipc/api';
import type { CallOptions } from '../../../shared/ipc/client';
import type { Result } from '../../../shared/ipc/contract';
import type { UploadTransport } from '../screens/import/upload-client';

/** The slice of the API uploads use, typed here so the page compiles before the channels are on every host. */
interface UploadChannels {
  'uploads/begin'(a: { name: string; bytes: number }, o?: CallOptions): Promise<{ uploadId: string; chunkBytes: number }>;
  'uploads/chunk'(a: { uploadId: string; offset: number; data: string }, o?: CallOptions): Promise<{ received: number }>;
  'uploads/finish'(a: { uploadId: string }, o?: CallOptions): Promise<unknown>;
  'uploads/discard'(a: { uploadId: string }, o?: CallOptions): Promise<unknown>;
  'nzb/import'(a: { collectionId: number; uploads: string[] }, o?: CallOptions): Promise<Result<'nzb/import'>>;
}

function channels(api: StrataApi): UploadChannels {
  const u = api as unknown as Partial<UploadChannels>;
  if (!u['uploads/begin'] || !u['uploads/chunk'] || !u['uploads/finish'] || !u['uploads/discard']) {
    throw new StrataError('invalid-argument', 'This Strata host does not accept uploads. Update it, or import the files from its own machine with “strata import-nzb”.');
  }
  return u as UploadChannels;
}

export function uploadTransport(api: StrataApi): UploadTransport {
  const u = channels(api);
  return {
    begin: (name, bytes, signal) => u['uploads/begin']({ name, bytes }, { signal }),
    chunk: (uploadId, offset, data, signal) => u['uploads/chunk']({ uploadId, offset, data }, { signal }),
    finish: (uploadId, signal) => u['uploads/finish']({ uploadId }, { signal }),
    discard: (uploadId) => u['uploads/discard']({ uploadId }),
  };
}

export function importUploads(api: StrataApi, collectionId: number, uploads: string[], options: CallOptions): Promise<Result<'nzb/import'>> {
  return channels(api)['nzb/import']({ collectionId, uploads }, options);
}
