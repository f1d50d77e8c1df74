// Bundle entry (dist/publish-clients/index.js): kept apart from main.ts so tests can import
// run() without starting the action.
import { run } from './main.js';

void run();
