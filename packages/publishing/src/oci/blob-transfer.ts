// Moving one blob into a destination repository: mounted when the registry already holds
// it in another repository, otherwise streamed from the source's GET into the
// destination's upload with its digest and size verified on the way through. Nothing is
// held whole in memory or written to disk.
import type { TransferProgress } from '../util/progress.js';
import { VerifyingWriter } from './digest.js';
import type { RegistryClient } from './registry-client.js';
import type { Descriptor } from './types.js';

export interface BlobLocation {
  client: RegistryClient;
  repository: string;
}

export async function streamBlob(from: BlobLocation, to: BlobLocation, blob: Pick<Descriptor, 'digest' | 'size'>, progress: TransferProgress): Promise<void> {
  await to.client.retrying(`copy ${blob.digest} to ${to.client.registry}/${to.repository}`, async () => {
    progress.update(blob.digest, 0);
    let moved = 0;
    // Stops the source when the upload ends first (refused, failed).
    const source = new AbortController();
    try {
      await to.client.uploadBlob(to.repository, blob.digest, blob.size, (upload) => {
        const writer = new VerifyingWriter(blob.digest, blob.size, upload, (n) => progress.update(blob.digest, (moved += n)));
        from.client
          .readBlob(from.repository, blob.digest, writer, source.signal)
          .then(() => writer.end())
          .catch((err: Error) => upload.destroy(err));
      });
    } finally {
      source.abort();
    }
  });
  progress.finished();
}
