// Moving one blob into a destination repository: mounted when the registry already holds
// it in another repository, otherwise streamed from the source with its digest and size
// verified on the way through. Nothing is held whole in memory or written to disk.
import { noteBytesStreamed } from '../util/memory.js';
import type { TransferProgress } from '../util/progress.js';
import { VerifyingStream } from './digest.js';
import type { RegistryClient } from './registry-client.js';
import type { Descriptor } from './types.js';

export interface BlobLocation {
  client: RegistryClient;
  repository: string;
}

export async function streamBlob(from: BlobLocation, to: BlobLocation, blob: Descriptor, progress: TransferProgress): Promise<void> {
  await to.client.retrying(`copy ${blob.digest} to ${to.client.registry}/${to.repository}`, async () => {
    progress.update(blob.digest, 0);
    const source = await from.client.openBlob(from.repository, blob.digest);
    let moved = 0;
    const verified = new VerifyingStream(blob.digest, blob.size, (n) => {
      progress.update(blob.digest, (moved += n));
      noteBytesStreamed(n);
    });
    source.on('error', (err) => verified.destroy(err));
    source.pipe(verified);
    try {
      await to.client.uploadBlob(to.repository, blob.digest, blob.size, verified);
    } finally {
      source.destroy();
    }
  });
  progress.finished();
}
