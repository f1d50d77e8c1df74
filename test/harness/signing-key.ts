// RSA key + self-signed X.509 certificate for signing registry tokens.
//
// distribution 2.8 verifies a token's `x5c` header chain against the certificates in
// its `auth.token.rootcertbundle`; a self-signed cert that is itself the root is the
// simplest valid chain. (The alternative, a `kid` header, must be a libtrust key id,
// which nothing in Node computes.) node:crypto can parse but not create certificates,
// so openssl makes one per harness run: no key material is ever checked in.
import { execFile } from 'node:child_process';
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireExecutable } from './process.js';

const run = promisify(execFile);

export interface SigningKey {
  privateKey: KeyObject;
  /** PEM file to use as the registry's rootcertbundle. */
  certPath: string;
  /** base64 (not url-safe) DER of the certificate: the JWT `x5c` entry. */
  certDerBase64: string;
  /** Removes the temp dir holding key and cert. */
  dispose(): Promise<void>;
}

export async function createSigningKey(commonName = 'ci-actions test token issuer'): Promise<SigningKey> {
  const dir = await mkdtemp(join(tmpdir(), 'ci-actions-token-key-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  try {
    await selfSignedCertificate({ keyPath, certPath, subject: `/CN=${commonName}` });
    const [keyPem, certPem] = await Promise.all([readFile(keyPath), readFile(certPath)]);
    return {
      privateKey: createPrivateKey(keyPem),
      certPath,
      certDerBase64: new X509Certificate(certPem).raw.toString('base64'),
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`could not create a token signing certificate with openssl: ${(err as Error).message}\n${stderr}`, { cause: err });
  }
}

/**
 * A new RSA key and a self-signed certificate for it, written as PEM files: the token issuer's
 * certificate, a CA for the benchmarks' TLS links, a server certificate for a TLS test.
 */
export async function selfSignedCertificate(options: { keyPath: string; certPath: string; subject: string; extensions?: string[] }): Promise<void> {
  const openssl = requireExecutable('openssl', 'install the Debian package openssl');
  const extensions = (options.extensions ?? []).flatMap((e) => ['-addext', e]);
  await run(openssl, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-sha256',
    '-days',
    '2',
    '-subj',
    options.subject,
    ...extensions,
    '-keyout',
    options.keyPath,
    '-out',
    options.certPath,
  ]);
}
