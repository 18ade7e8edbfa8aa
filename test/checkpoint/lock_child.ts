// Child process for the run-lock test: takes the lock of argv[2], says so, then waits to be killed.
import { acquireRunLock } from '../../src/checkpoint/run_lock.js';

acquireRunLock(process.argv[2]!);
process.stdout.write('locked\n');
setInterval(() => undefined, 1000);
