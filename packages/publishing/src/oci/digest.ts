import { createHash } from 'node:crypto';
import type { BodySink } from '../http/pumped-get.js';
import { DomainError } from '../errors.js';

export function sha256Digest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export class DigestMismatchError extends DomainError {
  constructor(message: string) {
    super(message);
  }
}

/** Where verified bytes go: an upload's request body, or what stands for it until it exists. */
export interface ByteOut {
  /** `written` is called once the piece's memory may be reused. */
  write(piece: Buffer, written: () => void): unknown;
  end(): unknown;
}

/**
 * Carries a blob from the source's GET to the destination's upload (`out`), hashing and
 * counting the bytes on the way. The piece that completes the declared size is written
 * only once the digest is verified, so a corrupt blob never reaches its declared length
 * at the destination and its upload is never completed.
 */
export class VerifyingWriter implements BodySink {
  private readonly hash;
  private bytes = 0;

  constructor(
    private readonly expectedDigest: string,
    private readonly expectedSize: number,
    private readonly out: ByteOut,
    private readonly onBytes: (n: number) => void = () => {},
  ) {
    const [algorithm] = expectedDigest.split(':');
    this.hash = createHash(algorithm === 'sha512' ? 'sha512' : 'sha256');
  }

  write(piece: Buffer, release: () => void): void {
    this.bytes += piece.length;
    if (this.bytes > this.expectedSize) {
      throw new DigestMismatchError(`blob ${this.expectedDigest}: more than the ${this.expectedSize} bytes its descriptor declares`);
    }
    this.hash.update(piece);
    if (this.bytes === this.expectedSize) this.verify();
    this.onBytes(piece.length);
    this.out.write(piece, () => release());
  }

  /** The source has sent everything: ends the upload, unless that was less than declared. */
  end(): void {
    if (this.bytes !== this.expectedSize) {
      throw new DigestMismatchError(`blob ${this.expectedDigest}: got ${this.bytes} bytes, its descriptor declares ${this.expectedSize}`);
    }
    if (this.expectedSize === 0) this.verify();
    this.out.end();
  }

  private verify(): void {
    const actual = `${this.expectedDigest.split(':')[0]}:${this.hash.digest('hex')}`;
    if (actual !== this.expectedDigest) {
      throw new DigestMismatchError(`blob ${this.expectedDigest}: the bytes received hash to ${actual}; the source blob is corrupt`);
    }
  }
}
