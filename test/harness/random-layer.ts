// A layer blob of a chosen size: a gzip-compressed ustar archive holding one file of
// incompressible bytes, streamed to disk so 200 MB images never sit in memory.
//
// Both digests are computed on the way through: `diffId` over the tar (what the
// image config's rootfs.diff_ids lists) and `digest` over the gzip (the blob name).
// Content comes from AES-256-CTR over zeros: fast, incompressible, and reproducible
// when a seed is given (same seed, same blob, same digest).
import { createCipheriv, createHash, randomBytes, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { OciLayout } from './oci-layout.js';

const BLOCK = 512;
const CHUNK = 1024 * 1024;
/** Fixed mtime (2023-11-14) so seeded layers are byte-identical run to run. */
const MTIME = 1_700_000_000;

export interface LayerBlob {
  digest: string;
  /** Compressed size: the blob size. */
  size: number;
  diffId: string;
  /** Size of the random file inside the tar. */
  contentSize: number;
}

export interface RandomLayerOptions {
  /** Bytes of random content in the single file. */
  contentSize: number;
  /** Name of that file inside the tar (<= 100 bytes). */
  fileName: string;
  /** Seed for reproducible content; random when absent. */
  seed?: string;
  /**
   * zlib level. Random data does not compress, so the default is 0: a valid gzip
   * stream of stored deflate blocks, ~3x faster than level 1 (200 MB in ~1.5 s).
   */
  gzipLevel?: number;
}

export async function writeRandomLayer(layout: OciLayout, options: RandomLayerOptions): Promise<LayerBlob> {
  const tarHash = createHash('sha256');
  const gzHash = createHash('sha256');
  let gzSize = 0;
  const temp = layout.tempPath();
  try {
    await pipeline(
      Readable.from(tarStream(options, tarHash)),
      createGzip({ level: options.gzipLevel ?? 0 }),
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          gzHash.update(chunk);
          gzSize += chunk.length;
          done(null, chunk);
        },
      }),
      createWriteStream(temp),
    );
    const digest = `sha256:${gzHash.digest('hex')}`;
    await rename(temp, layout.blobPath(digest));
    return { digest, size: gzSize, diffId: `sha256:${tarHash.digest('hex')}`, contentSize: options.contentSize };
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

function* tarStream(options: RandomLayerOptions, tarHash: Hash): Generator<Buffer> {
  const emit = (chunk: Buffer): Buffer => {
    tarHash.update(chunk);
    return chunk;
  };
  yield emit(tarHeader(options.fileName, options.contentSize));
  const key = options.seed === undefined ? randomBytes(32) : createHash('sha256').update(`ci-actions layer\n${options.seed}\n${options.fileName}`).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(CHUNK);
  for (let left = options.contentSize; left > 0; left -= CHUNK) {
    yield emit(cipher.update(left >= CHUNK ? zeros : zeros.subarray(0, left)));
  }
  const padding = (BLOCK - (options.contentSize % BLOCK)) % BLOCK;
  // File padding, then the two zero blocks that end a tar archive.
  yield emit(Buffer.alloc(padding + 2 * BLOCK));
}

/** A POSIX ustar header for one regular file, mode 0644, owned by root. */
export function tarHeader(name: string, size: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar file name too long: ${name}`);
  if (size >= 8 ** 11) throw new Error(`tar file too large for a ustar header: ${size}`);
  const header = Buffer.alloc(BLOCK);
  const put = (offset: number, length: number, value: string): void => {
    header.write(value, offset, length, 'utf8');
  };
  const octal = (value: number, width: number): string => `${value.toString(8).padStart(width - 1, '0')}\0`;
  put(0, 100, name);
  put(100, 8, octal(0o644, 8));
  put(108, 8, octal(0, 8));
  put(116, 8, octal(0, 8));
  put(124, 12, octal(size, 12));
  put(136, 12, octal(MTIME, 12));
  put(148, 8, '        '); // checksum is computed with its own field as spaces
  put(156, 1, '0');
  put(257, 6, 'ustar\0');
  put(263, 2, '00');
  put(265, 32, 'root');
  put(297, 32, 'root');
  let sum = 0;
  for (const byte of header) sum += byte;
  put(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return header;
}
