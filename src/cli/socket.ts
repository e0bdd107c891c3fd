import { chmodSync, existsSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import type { Database } from '../server/db/client.js';
import { AppError } from '../server/errors.js';
import { runWithin } from './runtime.js';

/**
 * The embedded database can be open in one process only. While the server holds it, CLI commands travel to the
 * server over a Unix socket in the data folder and run there, on the server's database. The socket is readable by
 * the server's user alone: whoever can reach it could read the database files anyway.
 */
export const socketPath = (dataDir: string) => join(dataDir, 'citywall.sock');

interface Request {
  argv: string[];
  cwd: string;
}
interface Reply {
  stdout: string;
  stderr: string;
  code: number;
}

export async function serveCli(dataDir: string, database: Database): Promise<Server | undefined> {
  const path = socketPath(dataDir);
  // Unix socket paths are limited to about 100 bytes; a data folder deeper than that goes without.
  if (Buffer.byteLength(path) > 100) return undefined;
  // The folder lock is held, so a socket file left here belongs to a process that is gone.
  rmSync(path, { force: true });
  const { buildProgram, errorLine } = await import('./index.js');
  const server = createServer((conn) => {
    let buf = '';
    conn.on('data', async (chunk) => {
      buf += chunk;
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      const reply: Reply = { stdout: '', stderr: '', code: 0 };
      try {
        const req = JSON.parse(buf.slice(0, nl)) as Request;
        if (req.argv[0] === 'start')
          throw new AppError('conflict', 'Citywall is already running on this data folder');
        const program = buildProgram({
          writeOut: (s) => (reply.stdout += s),
          writeErr: (s) => (reply.stderr += s),
        });
        await runWithin({ out: (line) => (reply.stdout += `${line}\n`), cwd: req.cwd, database }, () =>
          program.parseAsync(req.argv, { from: 'user' }),
        );
      } catch (e) {
        const line = errorLine(e);
        if (line !== null) reply.stderr += `${line}\n`;
        reply.code = line === null ? 0 : 1;
      }
      conn.end(`${JSON.stringify(reply)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(path, resolve));
  chmodSync(path, 0o600);
  server.on('close', () => rmSync(path, { force: true }));
  return server;
}

export function canForward(dataDir: string): boolean {
  return existsSync(socketPath(dataDir));
}

export function forward(dataDir: string, argv: string[]): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const conn = createConnection(socketPath(dataDir));
    let buf = '';
    conn.on('connect', () =>
      conn.write(`${JSON.stringify({ argv, cwd: process.cwd() } satisfies Request)}\n`),
    );
    conn.on('data', (d) => (buf += d));
    conn.on('end', () => {
      try {
        resolve(JSON.parse(buf) as Reply);
      } catch {
        reject(new AppError('unavailable', 'The running Citywall server did not answer the command'));
      }
    });
    conn.on('error', (e) =>
      reject(new AppError('unavailable', `Could not reach the running Citywall server: ${e.message}`)),
    );
  });
}
