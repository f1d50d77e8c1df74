import { redact } from '../secrets.js';

/** A registry's answer that ends an operation: status, the registry's error code and message. */
export class RegistryError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly code: string | undefined,
    detail: string,
  ) {
    super(redact(`${operation}: HTTP ${status}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`));
    this.name = 'RegistryError';
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
    super(operation, status, code, detail);
    this.name = 'PermissionError';
  }
}
