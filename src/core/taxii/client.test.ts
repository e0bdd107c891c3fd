import { describe, expect, it } from 'vitest';
import { retryAfterSeconds } from './client.js';

describe('retryAfterSeconds (RFC 9110, 10.2.3)', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  it('reads delay-seconds and HTTP dates', () => {
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds(' 0 ', now)).toBe(0);
    expect(retryAfterSeconds('Sun, 01 Mar 2026 12:01:30 GMT', now)).toBe(90);
    // A date already past asks for no wait.
    expect(retryAfterSeconds('Sun, 01 Mar 2026 11:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    for (const v of [undefined, null, '', 'soon', '-5', '1.5', 'Someday'])
      expect(retryAfterSeconds(v, now)).toBeUndefined();
  });
});
