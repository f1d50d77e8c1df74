export { runAction, setOutputs } from './run.js';
export { writeSummaryTable } from './summary.js';
export {
  addressInput,
  addressListInput,
  booleanInput,
  credentialInputsOf,
  credentialsInput,
  attributeToInput,
  InputError,
  type InputFor,
  integerInput,
  listInput,
  namingInputs,
  parsedInput,
  parsedInputAsync,
  retryPolicyInput,
  secretInput,
  stringInput,
} from './inputs.js';
export { actionLog, leveledLog, LOG_LEVELS, type LogLevel } from './log.js';
export { eventPayload } from './event.js';
