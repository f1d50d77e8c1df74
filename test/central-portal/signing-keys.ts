// OpenPGP key pairs for the tests, made afresh each run so no key material is checked in:
// the private key plays secrets.SIGNING_KEY, the public key what Central finds on a key server.
import { generateKey } from 'openpgp';

export interface TestSigningKey {
  armoredPrivateKey: string;
  armoredPublicKey: string;
  passphrase: string;
}

export async function generateSigningKey(name: string, passphrase: string): Promise<TestSigningKey> {
  // ECC (Ed25519 in the v4 format) signs fast and is what GnuPG 2.2 verifies.
  const { privateKey, publicKey } = await generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name, email: 'release@acme.example' }],
    passphrase,
    format: 'armored',
  });
  return { armoredPrivateKey: privateKey, armoredPublicKey: publicKey, passphrase };
}
