// Writing an OCI image layout directory (image-spec "image-layout.md"): the
// `oci-layout` marker, content-addressed `blobs/sha256/<hex>`, and `index.json`
// whose entries carry `org.opencontainers.image.ref.name` so skopeo can address them
// as `oci:<dir>:<tag>`.
//
// JSON blobs are stored exactly as serialised here; their digest is over those bytes,
// which is what the registry must hand back unchanged.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MEDIA_TYPES = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  empty: 'application/vnd.oci.empty.v1+json',
  inToto: 'application/vnd.in-toto+json',
} as const;

export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
  artifactType?: string;
}

export interface WrittenBlob {
  digest: string;
  size: number;
  bytes: Buffer;
}

interface LayoutIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
}

export class OciLayout {
  private constructor(readonly dir: string) {}

  /** Opens `dir` as a layout, creating it (or a fresh temp dir) if needed. */
  static async open(dir?: string): Promise<OciLayout> {
    const root = dir ?? (await mkdtemp(join(tmpdir(), 'ci-actions-oci-')));
    await mkdir(join(root, 'blobs', 'sha256'), { recursive: true });
    if (!existsSync(join(root, 'oci-layout'))) {
      await writeFile(join(root, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    }
    if (!existsSync(join(root, 'index.json'))) {
      await writeFile(join(root, 'index.json'), serialise({ schemaVersion: 2, mediaType: MEDIA_TYPES.index, manifests: [] }));
    }
    return new OciLayout(root);
  }

  blobPath(digest: string): string {
    const [algorithm, hex] = digest.split(':');
    return join(this.dir, 'blobs', algorithm, hex);
  }

  /** A temp path inside the layout, so the final rename stays on one filesystem. */
  tempPath(): string {
    return join(this.dir, 'blobs', `.tmp-${randomBytes(8).toString('hex')}`);
  }

  async writeBlob(bytes: Buffer): Promise<WrittenBlob> {
    const digest = sha256Digest(bytes);
    const temp = this.tempPath();
    await writeFile(temp, bytes);
    await rename(temp, this.blobPath(digest));
    return { digest, size: bytes.length, bytes };
  }

  writeJson(value: unknown): Promise<WrittenBlob> {
    return this.writeBlob(Buffer.from(serialise(value)));
  }

  readBlob(digest: string): Promise<Buffer> {
    return readFile(this.blobPath(digest));
  }

  /** Points `tag` at `descriptor` in index.json, replacing an older entry for the tag. */
  async tag(descriptor: Descriptor, tag: string): Promise<void> {
    const indexPath = join(this.dir, 'index.json');
    const index = JSON.parse(await readFile(indexPath, 'utf8')) as LayoutIndex;
    index.manifests = index.manifests.filter((m) => m.annotations?.[REF_NAME_ANNOTATION] !== tag);
    index.manifests.push({ ...descriptor, annotations: { ...descriptor.annotations, [REF_NAME_ANNOTATION]: tag } });
    await writeFile(indexPath, serialise(index));
  }

  /** skopeo/containers-image reference for a tag in this layout. */
  ref(tag: string): string {
    return `oci:${this.dir}:${tag}`;
  }

  dispose(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }
}

export function sha256Digest(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function serialise(value: unknown): string {
  return JSON.stringify(value);
}
