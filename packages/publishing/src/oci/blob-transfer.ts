// Moving one blob into a destination repository: mounted when the registry already holds
// it in another repository, otherwise streamed from the source's GET into the
// destination's upload with its digest and size verified on the way through. Nothing is
// held whole in memory or written to disk.
import type { Writable } from 'node:stream';
import type { TransferProgress } from '../util/progress.js';
import { VerifyingWriter, type ByteOut } from './digest.js';
import type { RegistryClient } from './registry-client.js';
import type { Descriptor } from './types.js';

export interface BlobLocation {
  client: RegistryClient;
  repository: string;
}

/**
 * `sent` is called once the upload's body has gone out whole, before the registry answers
 * (which takes it a round trip and its own check of the digest).
 */
export async function streamBlob(
  from: BlobLocation,
  to: BlobLocation,
  blob: Pick<Descriptor, 'digest' | 'size'>,
  progress: TransferProgress,
  sent: () => void = () => undefined,
): Promise<void> {
  await to.client.retrying(`copy ${blob.digest} to ${to.client.registry}/${to.repository}`, async () => {
    progress.update(blob.digest, 0);
    let moved = 0;
    // Stops the source when the upload ends first (refused, failed).
    const source = new AbortController();
    const upload = new UploadBody(sent);
    const writer = new VerifyingWriter(blob.digest, blob.size, upload, (n) => progress.update(blob.digest, (moved += n)));
    // The source's GET goes out beside the upload session's POST, not after it: a round
    // trip less per blob. What it reads before the upload's body opens waits in its read
    // buffers, which stop the socket when they are full.
    from.client
      .readBlob(from.repository, blob, writer, source.signal)
      .then(() => writer.end())
      .catch((err: Error) => upload.fail(err));
    try {
      await to.client.uploadBlob(to.repository, blob.digest, blob.size, (request) => upload.open(request));
    } finally {
      source.abort();
    }
  });
  progress.finished();
}

/** An upload's body before its request exists: pieces wait, in order, until `open`. */
export class UploadBody implements ByteOut {
  private request?: Writable;
  private waiting: { piece: Buffer; written: () => void }[] = [];
  private ended = false;
  private failure?: Error;

  /** `sent`: when the request has written the whole body. */
  constructor(private readonly sent: () => void = () => undefined) {}

  write(piece: Buffer, written: () => void): void {
    if (this.request) this.request.write(piece, () => written());
    else this.waiting.push({ piece, written });
  }

  end(): void {
    if (this.request) this.request.end(this.sent);
    else this.ended = true;
  }

  fail(err: Error): void {
    if (this.request) this.request.destroy(err);
    else this.failure = err;
  }

  open(request: Writable): void {
    if (this.failure) {
      request.destroy(this.failure);
      return;
    }
    this.request = request;
    for (const { piece, written } of this.waiting) request.write(piece, () => written());
    this.waiting = [];
    if (this.ended) request.end(this.sent);
  }
}
