// Bundle entry (dist/promote-image/index.js).
import { run } from './main.js';

void run();
