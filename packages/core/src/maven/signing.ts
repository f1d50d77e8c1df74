// OpenPGP signatures for Maven Central: a detached, ASCII-armored signature (`.asc`) of every
// file of a component, made with the key the caller passes (gpg --armor --export-secret-keys).
// Central verifies them with the public key it finds on a public key server.
import { createMessage, decryptKey, readPrivateKey, sign, type PrivateKey } from 'openpgp';
import { InputError } from '../action/inputs.js';

export interface Signer {
  /** Fingerprint of the key that signs (a signing subkey, when the key has one). */
  fingerprint: string;
  userIds: string[];
  sign(bytes: Uint8Array): Promise<string>;
}

export async function loadSigningKey(armoredKey: string, passphrase: string): Promise<Signer> {
  let key: PrivateKey;
  try {
    key = await readPrivateKey({ armoredKey });
  } catch (err) {
    throw new InputError(
      'signing-key',
      `is not an ASCII-armored OpenPGP private key (export one with gpg --armor --export-secret-keys KEY_ID): ${(err as Error).message}`,
    );
  }
  const fingerprint = key.getFingerprint().toUpperCase();
  if (!key.isDecrypted()) {
    if (!passphrase) throw new InputError('signing-password', `is empty, and the signing key ${fingerprint} is protected by a passphrase`);
    try {
      key = await decryptKey({ privateKey: key, passphrase });
    } catch (err) {
      throw new InputError('signing-password', `does not unlock the signing key ${fingerprint} (${(err as Error).message})`);
    }
  }
  let signingKey;
  try {
    signingKey = await key.getSigningKey();
  } catch (err) {
    // An expired or revoked key, or one without a key that may sign.
    throw new InputError('signing-key', `key ${fingerprint} cannot sign: ${(err as Error).message}`);
  }
  const unlocked = key;
  return {
    fingerprint: signingKey.getFingerprint().toUpperCase(),
    userIds: key.getUserIDs(),
    // openpgp's conditional return type (by the message's stream kind) comes out as any here;
    // an armored signature of bytes is a string.
    sign: async (bytes) =>
      sign({ message: await createMessage({ binary: bytes }), signingKeys: unlocked, detached: true, format: 'armored' }) as Promise<string>,
  };
}
