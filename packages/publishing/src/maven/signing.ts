// OpenPGP signatures for Maven Central: a detached, ASCII-armored signature (`.asc`) of every
// file of a component, made with the key the caller passes (gpg --armor --export-secret-keys).
// Central verifies them with the public key it finds on a public key server.
import { createMessage, decryptKey, readPrivateKey, sign, type PrivateKey } from 'openpgp';
import { DomainError } from '../errors.js';

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
    throw new DomainError(
      `the signing key is not an ASCII-armored OpenPGP private key (export one with gpg --armor --export-secret-keys KEY_ID): ${(err as Error).message}`,
      { subject: { kind: 'signing-key' }, cause: err },
    );
  }
  const fingerprint = key.getFingerprint().toUpperCase();
  if (!key.isDecrypted()) {
    if (!passphrase)
      throw new DomainError(`the signing key ${fingerprint} is protected by a passphrase, and none was given`, { subject: { kind: 'signing-passphrase' } });
    try {
      key = await decryptKey({ privateKey: key, passphrase });
    } catch (err) {
      throw new DomainError(`the passphrase does not unlock the signing key ${fingerprint} (${(err as Error).message})`, {
        subject: { kind: 'signing-passphrase' },
        cause: err,
      });
    }
  }
  let signingKey;
  try {
    signingKey = await key.getSigningKey();
  } catch (err) {
    // An expired or revoked key, or one without a key that may sign.
    throw new DomainError(`the signing key ${fingerprint} cannot sign: ${(err as Error).message}`, { subject: { kind: 'signing-key' }, cause: err });
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
