import { vi } from 'vitest';
import { main } from '../../src/cli/index.js';

/** Runs the `citywall` command in this process and answers everything it printed (stdout and stderr). */
export async function runCli(...args: string[]): Promise<string> {
  let out = '';
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out += `${a.join(' ')}\n`;
  });
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  process.exitCode = 0;
  try {
    await main(['node', 'citywall', ...args]);
  } finally {
    log.mockRestore();
    write.mockRestore();
    err.mockRestore();
  }
  return out;
}
