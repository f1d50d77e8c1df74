export { decidePublish, type GateDecision, type GateFacts } from './decision.js';
export { planPromotions, StagedImageError, type Promotion } from './promotions.js';
