// node scripts/run-ts.mjs self-test-image DIR: writes a two-platform image with buildx-style
// attestations, built in code (no Docker), as an OCI layout in DIR, and prints its skopeo
// reference and digest as GITHUB_OUTPUT lines (ref=oci:DIR:self-test, digest=sha256:...).
// The suite's own CI (.github/workflows/ci.yml) stages it with skopeo, then runs the actions
// from the working tree on it, the way docker's actions test themselves.
import path from 'node:path';
import { buildImage } from '../test/harness/oci-image.js';

export interface SelfTestImageIo {
  cwd: string;
  out: (line: string) => void;
  err: (line: string) => void;
}

export async function main(argv: string[], io: SelfTestImageIo): Promise<number> {
  if (argv.length !== 1 || !argv[0]) {
    io.err('usage: node scripts/run-ts.mjs self-test-image DIR');
    return 2;
  }
  const image = await buildImage({ layoutDir: path.resolve(io.cwd, argv[0]), tag: 'self-test', attestations: true, name: 'ci-actions/self-test' });
  io.out(`ref=${image.ociRef}`);
  io.out(`digest=${image.digest}`);
  return 0;
}
