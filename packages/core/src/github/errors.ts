import { redact } from '../secrets.js';

/** GitHub's answer that ends an operation, in words a workflow author can act on. */
export class GitHubApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(redact(message));
    this.name = 'GitHubApiError';
  }
}

/** The owner or package does not exist, or the token cannot see it (GitHub answers 404 to both). */
export class NotFoundError extends GitHubApiError {
  constructor(
    readonly what: 'owner' | 'package',
    message: string,
  ) {
    super(404, message);
    this.name = 'NotFoundError';
  }
}

/** Still rate limited after waiting as long as we are willing to. */
export class RateLimitError extends GitHubApiError {}

/** The run's share of the rate limit (rate-limit-budget) is spent: not a failure, the rest is for the next run. */
export class BudgetExhaustedError extends GitHubApiError {
  constructor(message: string) {
    super(0, message);
    this.name = 'BudgetExhaustedError';
  }
}
