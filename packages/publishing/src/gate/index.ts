export { decidePublish, type GateDecision, type GateFacts } from './decision.js';
export { planPromotions, StagedImageError, type Promotion } from './promotions.js';
export { headCommitSource, type HeadCommitSource, type RunEvent } from './head-commit.js';
export { readHeadCommitMessage, type HeadCommitMessage } from './head-commit-message.js';
