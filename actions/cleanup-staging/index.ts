// Bundle entry (dist/cleanup-staging/index.js).
import { run } from './main.js';

void run();
