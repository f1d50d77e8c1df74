import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export function sha256Digest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export class DigestMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DigestMismatchError';
  }
}

/**
 * Passes bytes through while hashing and counting them; fails the stream (so the upload
 * it feeds is aborted) when the size or digest differs from what the manifest promised.
 * The last chunk is held back until the digest is verified, so a corrupt blob never
 * reaches its declared length at the destination.
 */
export class VerifyingStream extends Transform {
  private readonly hash;
  private bytes = 0;
  private held?: Buffer;

  constructor(
    private readonly expectedDigest: string,
    private readonly expectedSize: number,
    private readonly onBytes: (n: number) => void = () => {},
  ) {
    super();
    const [algorithm] = expectedDigest.split(':');
    this.hash = createHash(algorithm === 'sha512' ? 'sha512' : 'sha256');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.expectedSize) {
      callback(new DigestMismatchError(`blob ${this.expectedDigest}: more than the ${this.expectedSize} bytes its descriptor declares`));
      return;
    }
    this.hash.update(chunk);
    this.onBytes(chunk.length);
    const previous = this.held;
    this.held = chunk;
    callback(null, previous);
  }

  override _flush(callback: TransformCallback): void {
    const actual = `${this.expectedDigest.split(':')[0]}:${this.hash.digest('hex')}`;
    if (this.bytes !== this.expectedSize) {
      callback(new DigestMismatchError(`blob ${this.expectedDigest}: got ${this.bytes} bytes, its descriptor declares ${this.expectedSize}`));
    } else if (actual !== this.expectedDigest) {
      callback(new DigestMismatchError(`blob ${this.expectedDigest}: the bytes received hash to ${actual}; the source blob is corrupt`));
    } else callback(null, this.held);
  }
}
