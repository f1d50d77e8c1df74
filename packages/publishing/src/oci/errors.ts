import { DomainError, type Subject } from '../errors.js';

/** A registry's answer that ends an operation: status, the registry's error code and message. */
export class RegistryError extends DomainError {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly code: string | undefined,
    detail: string,
    subject?: Subject,
  ) {
    super(`${operation}: HTTP ${status}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`, subject ? { subject } : {});
  }
}

/** The registry refused an operation to these credentials (401/403 after authenticating). */
export class PermissionError extends RegistryError {
  constructor(
    readonly registry: string,
    operation: string,
    status: number,
    code: string,
    detail: string,
  ) {
    super(operation, status, code, detail, { kind: 'credentials', service: 'registry', address: registry });
  }
}

/** The registry, or its token service, refused the credentials given for it (or their absence). */
export class AuthenticationError extends DomainError {
  constructor(
    readonly registry: string,
    message: string,
  ) {
    super(message, { subject: { kind: 'credentials', service: 'registry', address: registry } });
  }
}
