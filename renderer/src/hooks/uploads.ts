/** The typed API's upload functions (uploads/begin, chunk, finish, discard) as the upload client's transport. */
import type { StrataApi } from '../../../shared/ipc/api';
import type { UploadTransport } from '../screens/import/upload-client';

export function uploadTransport(api: StrataApi): UploadTransport {
  return {
    begin: (name, bytes, signal) => api['uploads/begin']({ name, bytes }, { signal }),
    chunk: (uploadId, offset, data, signal) => api['uploads/chunk']({ uploadId, offset, data }, { signal }),
    finish: (uploadId, signal) => api['uploads/finish']({ uploadId }, { signal }),
    discard: (uploadId) => api['uploads/discard']({ uploadId }),
  };
}
