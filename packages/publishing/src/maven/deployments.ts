// Central Portal's deployments as the portal reports them and the step follows them: their
// states, a status, a listed deployment, and how it is published and how far it is followed.
// Types only, so that the pure decisions (deploymentOutcome, the resume of a re-run) import no
// HTTP client.

export type PublishingType = 'automatic' | 'user-managed';

export const DEPLOYMENT_STATES = ['PENDING', 'VALIDATING', 'VALIDATED', 'PUBLISHING', 'PUBLISHED', 'FAILED'] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

export interface DeploymentStatus {
  deploymentState: DeploymentState;
  /** Validation errors, one line each: `<component or file>: <message>`. */
  errors: string[];
}

/** A deployment as the portal's search lists it. */
export interface ListedDeployment {
  id: string;
  name: string;
  state: DeploymentState;
  /** The components in it, as package URLs (known once it is validated). */
  purls: string[];
}

/** How far the step follows a deployment: until Central validated it, or until it is published. */
export type WaitUntil = 'validated' | 'published';
