// The one error model. The core throws a DomainError for every failure it anticipates: a
// registry refusing credentials, a file that is not there, a deployment Central rejected. Its
// message says what failed, in the terms of the thing that failed; its subject, when the fix
// is in something the user gave, says what that was (which registry's credentials, which
// path), never under which action input it came, since only the action knows that: each
// action's inputs.ts maps subjects to its inputs. Any other error is a bug in the suite.
import { redact } from './secrets.js';

/** The services whose credentials the suite sends. */
export type CredentialService = 'registry' | 'docker-hub' | 'github' | 'npm' | 'central-portal';

/** What a user gave that a failure is about: what to fix, named as the core knows it. */
export type Subject =
  /** The service at `address` (a registry's host, an API's URL) refused the credentials given for it, or what they may do. */
  | { kind: 'credentials'; service: CredentialService; address: string }
  /** GitHub knows no such owner, or the token cannot see it. */
  | { kind: 'github-owner'; owner: string }
  /** GitHub knows no such container package of the owner, or the token cannot see it. */
  | { kind: 'github-package'; owner: string; name: string }
  /** The OpenPGP key that signs: not a key, or one that cannot sign. */
  | { kind: 'signing-key' }
  /** The passphrase of the signing key: missing or wrong. */
  | { kind: 'signing-passphrase' }
  /** The local Maven repository the build wrote the artifacts to. */
  | { kind: 'maven-repository'; path: string }
  /** A package directory of npm packages to publish, as given. */
  | { kind: 'npm-package'; path: string }
  /** The version the Maven artifacts were looked for at. */
  | { kind: 'maven-version'; version: string }
  /** The commit being built. */
  | { kind: 'commit'; sha: string }
  /** The git ref being built. */
  | { kind: 'ref'; ref: string }
  /** The pull request being built. */
  | { kind: 'pull-request'; number: string }
  /** An image the configuration is asked about. */
  | { kind: 'image'; name: string }
  /** The longest wait a server may ask for before another attempt. */
  | { kind: 'retry-wait' }
  /** How long to wait for the Central Portal to finish a deployment. */
  | { kind: 'deployment-timeout' }
  /** The scope the npm packages are published under. */
  | { kind: 'npm-scope' }
  /** The list of npm package directories to publish (what a package may depend on as a sibling). */
  | { kind: 'npm-package-list' }
  /** The version a run number is counted from: what to change when it would go backwards (`remedy`), or the policy to bump instead. */
  | { kind: 'version-regression'; remedy: 'offset' | 'base-version' };

/**
 * A failure the suite anticipated, described for the person who runs it. The message is
 * redacted of every registered secret; `subject` is set when the fix is in what the user gave.
 */
export class DomainError extends Error {
  readonly subject: Subject | undefined;

  constructor(message: string, options: { subject?: Subject; cause?: unknown } = {}) {
    super(redact(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.subject = options.subject;
  }
}
