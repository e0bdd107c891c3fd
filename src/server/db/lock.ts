import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite has no protection against two processes opening one data folder: both would write and the files
 * would silently diverge. A pid file taken with O_EXCL refuses the second opener; a lock left by a dead
 * process (crash, kill -9) is taken over.
 */
export function acquireFolderLock(lockPath: string): () => void {
  mkdirSync(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        // A process that opens and closes databases many times (the command line in tests) keeps no listener.
        process.removeListener('exit', release);
        try {
          if (readFileSync(lockPath, 'utf8') === String(process.pid)) rmSync(lockPath);
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      if (Number.isFinite(holder) && holder !== process.pid && alive(holder)) {
        throw new AppError(
          'conflict',
          `The embedded database in ${dirname(lockPath)} is already open in process ${holder}. ` +
            'Only one Citywall process may use an embedded database: stop the other one, or use PostgreSQL (DATABASE_URL) to run several.',
          { extra: { lockedBy: holder } },
        );
      }
      if (holder === process.pid) {
        throw new AppError(
          'conflict',
          `The embedded database in ${dirname(lockPath)} is already open in this process.`,
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new AppError('conflict', `Could not lock ${lockPath}`);
}
