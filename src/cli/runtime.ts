import { AsyncLocalStorage } from 'node:async_hooks';
import { resolve } from 'node:path';
import type { Database } from '../server/db/client.js';

/**
 * Where a command's output goes and which database it uses. From a terminal: the console and a database the
 * command opens itself. Inside a running server (a command forwarded over the server's local socket because
 * the embedded database is held by the server): a buffer sent back to the terminal, and the server's database.
 */
interface CliRuntime {
  out(line: string): void;
  cwd: string;
  database: Database;
}

const runtime = new AsyncLocalStorage<CliRuntime>();

export function say(line: string) {
  const rt = runtime.getStore();
  if (rt) rt.out(line);
  else console.log(line);
}

/** A path the user typed, resolved against the directory they typed it in. */
export function userPath(p: string): string {
  return resolve(runtime.getStore()?.cwd ?? process.cwd(), p);
}

export function serverDatabase(): Database | undefined {
  return runtime.getStore()?.database;
}

export function runWithin<T>(rt: CliRuntime, fn: () => Promise<T>): Promise<T> {
  return runtime.run(rt, fn);
}
