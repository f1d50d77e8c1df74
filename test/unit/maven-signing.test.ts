// Signing keys as the action receives them, and the bundle's signatures and checksums.
import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { createMessage, generateKey, readKey, readSignature, verify } from 'openpgp';
import { attributeToInput } from '@ci-actions/publishing/action/inputs.js';
import { DomainError } from '@ci-actions/publishing/errors.js';
import { publishInputFor } from '../../actions/publish-clients/inputs.js';
import { bundleEntries, zipBundle } from '@ci-actions/publishing/maven/bundle.js';
import { loadSigningKey } from '@ci-actions/publishing/maven/signing.js';
import { generateSigningKey, type TestSigningKey } from '../central-portal/signing-keys.js';

let key: TestSigningKey;
beforeAll(async () => {
  key = await generateSigningKey('Acme Release', 'open sesame');
});

async function verifies(bytes: Uint8Array, armoredSignature: string, armoredPublicKey: string): Promise<boolean> {
  const { signatures } = await verify({
    message: await createMessage({ binary: bytes }),
    signature: await readSignature({ armoredSignature }),
    verificationKeys: await readKey({ armoredKey: armoredPublicKey }),
  });
  return signatures[0].verified.then(
    () => true,
    () => false,
  );
}

async function loadError(armoredKey: string, passphrase: string): Promise<DomainError> {
  return loadSigningKey(armoredKey, passphrase).then(
    () => {
      throw new Error('the key loaded');
    },
    (err: DomainError) => err,
  );
}

/** The failure as publish-clients reports it: naming the input the key or passphrase came from. */
function reported(error: DomainError): string {
  return (attributeToInput(error, publishInputFor({ mavenVersionInput: 'version' })) as Error).message;
}

describe('loadSigningKey', () => {
  test('unlocks a protected key; its detached armored signatures verify with the public key', async () => {
    const signer = await loadSigningKey(key.armoredPrivateKey, key.passphrase);
    const bytes = Buffer.from('the jar');
    const signature = await signer.sign(bytes);
    expect(signature).toMatch(/^-----BEGIN PGP SIGNATURE-----/);
    expect(await verifies(bytes, signature, key.armoredPublicKey)).toBe(true);
    expect(await verifies(Buffer.from('another jar'), signature, key.armoredPublicKey)).toBe(false);
    expect(signer.userIds).toEqual(['Acme Release <release@acme.example>']);
    expect(signer.fingerprint).toMatch(/^[0-9A-F]{40}$/);
  });

  test('takes a key without a passphrase as it is', async () => {
    const { privateKey } = await generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'No Passphrase' }], format: 'armored' });
    await expect(loadSigningKey(privateKey, '')).resolves.toMatchObject({ userIds: ['No Passphrase'] });
  });

  test.each<[string, () => [string, string], string, string]>([
    ['a wrong passphrase', () => [key.armoredPrivateKey, 'open barley'], 'signing-password', 'the passphrase does not unlock the signing key'],
    ['no passphrase for a protected key', () => [key.armoredPrivateKey, ''], 'signing-password', 'is protected by a passphrase, and none was given'],
    [
      'the public key',
      () => [key.armoredPublicKey, ''],
      'signing-key',
      'the signing key is not an ASCII-armored OpenPGP private key (export one with gpg --armor --export-secret-keys KEY_ID)',
    ],
    ['not a key at all', () => ['-----BEGIN NOTHING-----', ''], 'signing-key', 'the signing key is not an ASCII-armored OpenPGP private key'],
  ])('%s: a domain error about the key, which publish-clients reports naming %s', async (_name, args, input, message) => {
    const error = await loadError(...args());
    expect(error).toBeInstanceOf(DomainError);
    expect(error.subject?.kind).toBe(input === 'signing-key' ? 'signing-key' : 'signing-passphrase');
    expect(error.message).toContain(message);
    expect(reported(error)).toBe(`input "${input}": ${error.message}`);
  });

  test('an expired key names signing-key', async () => {
    const { privateKey } = await generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'Expired' }],
      date: new Date(Date.now() - 3600_000),
      keyExpirationTime: 60,
      format: 'armored',
    });
    const error = await loadError(privateKey, '');
    expect(error.subject).toEqual({ kind: 'signing-key' });
    expect(reported(error)).toMatch(/^input "signing-key": the signing key [0-9A-F]{40} cannot sign: /);
  });
});

describe('the bundle', () => {
  test('carries each file with its signature and md5, sha1, sha256 and sha512 in the repository layout', async () => {
    const signer = await loadSigningKey(key.armoredPrivateKey, key.passphrase);
    const files = { 'client-1.0.42.pom': Buffer.from('<project/>'), 'client-1.0.42.jar': Buffer.from('PK jar bytes') };
    const component = {
      groupId: 'io.github.acme',
      artifactId: 'client',
      version: '1.0.42',
      path: 'io/github/acme/client/1.0.42',
      files: Object.entries(files).map(([name, bytes]) => ({ name, bytes })),
    };

    const zip = unzipSync(zipBundle(await bundleEntries([component], signer)));

    const dir = 'io/github/acme/client/1.0.42';
    expect(Object.keys(zip)).toEqual(
      Object.keys(files).flatMap((name) => ['', '.asc', '.md5', '.sha1', '.sha256', '.sha512'].map((suffix) => `${dir}/${name}${suffix}`)),
    );
    for (const [name, bytes] of Object.entries(files)) {
      expect(Buffer.from(zip[`${dir}/${name}`]).equals(bytes)).toBe(true);
      for (const algorithm of ['md5', 'sha1', 'sha256', 'sha512']) {
        expect(Buffer.from(zip[`${dir}/${name}.${algorithm}`]).toString()).toBe(createHash(algorithm).update(bytes).digest('hex'));
      }
      expect(await verifies(bytes, Buffer.from(zip[`${dir}/${name}.asc`]).toString(), key.armoredPublicKey)).toBe(true);
    }
  });
});
