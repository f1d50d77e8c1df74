import { DomainError, type Subject } from '../errors.js';

/** GitHub's answer that ends an operation, in words a workflow author can act on. */
export class GitHubApiError extends DomainError {
  constructor(
    readonly status: number,
    message: string,
    subject?: Subject,
  ) {
    super(message, subject ? { subject } : {});
  }
}

/** The owner or package does not exist, or the token cannot see it (GitHub answers 404 to both). */
export class NotFoundError extends GitHubApiError {
  constructor(subject: Extract<Subject, { kind: 'github-owner' | 'github-package' }>, message: string) {
    super(404, message, subject);
  }
}

/** Still rate limited after waiting as long as we are willing to. */
export class RateLimitError extends GitHubApiError {}

/** The run's share of the rate limit (rate-limit-budget) is spent: not a failure, the rest is for the next run. */
export class BudgetExhaustedError extends GitHubApiError {
  constructor(message: string) {
    super(0, message);
  }
}
