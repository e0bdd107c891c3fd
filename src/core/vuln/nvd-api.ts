/**
 * A client of the NVD CVE API 2.0 for incremental updates: the changes between two instants, asked for in windows
 * of at most 120 days (the API's limit for lastModStartDate / lastModEndDate), page by page (`startIndex`,
 * `resultsPerPage`), within the published rate limits (5 requests per rolling 30 s without an API key, 50 with
 * one), retrying a refused or failed request with backoff. It yields each page with the position reached, so a
 * caller that stores the position can resume after a crash exactly where it stopped.
 */
import type { NvdCve } from './nvd.js';

export const NVD_API_URL = 'https://services.nvd.nist.gov/rest/json/cves/2.0';
export const MAX_WINDOW_DAYS = 120;
const DAY = 86_400_000;

export interface NvdWindow {
  start: Date;
  end: Date;
}

/** Splits [from, to) into consecutive windows of at most `maxDays` days. */
export function nvdWindows(from: Date, to: Date, maxDays = MAX_WINDOW_DAYS): NvdWindow[] {
  if (!(from instanceof Date) || Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
    throw new RangeError('nvdWindows: from and to must be valid dates');
  }
  if (maxDays <= 0 || maxDays > MAX_WINDOW_DAYS)
    throw new RangeError(`maxDays must be in 1…${MAX_WINDOW_DAYS}`);
  const out: NvdWindow[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += maxDays * DAY) {
    out.push({ start: new Date(t), end: new Date(Math.min(to.getTime(), t + maxDays * DAY)) });
  }
  return out;
}

/** Where a sync stands: the window being read and the index of the next record in it. */
export interface NvdPosition {
  windowStart: string;
  windowEnd: string;
  startIndex: number;
}

export interface NvdPage {
  position: NvdPosition;
  /** The position after this page (null when the window is finished). */
  next: NvdPosition | null;
  totalResults: number;
  vulnerabilities: { cve: NvdCve }[];
}

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export interface NvdApiOptions {
  baseUrl?: string;
  apiKey?: string;
  fetch: FetchLike;
  /** Waits; injectable so tests run without real delays. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  resultsPerPage?: number;
  retries?: number;
}

export class NvdApiError extends Error {
  override readonly name = 'NvdApiError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The NVD's timestamp form: ISO 8601 with milliseconds and an explicit UTC offset. */
const nvdTime = (d: Date) => d.toISOString().replace('Z', '+00:00');

export class NvdApiClient {
  private readonly baseUrl: string;
  private readonly sent: number[] = [];
  private readonly limit: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly opts: NvdApiOptions) {
    this.baseUrl = (opts.baseUrl ?? NVD_API_URL).replace(/\/$/, '');
    this.limit = opts.apiKey ? 50 : 5;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.now = opts.now ?? Date.now;
  }

  /** Waits until one more request fits in the rolling 30-second window. */
  private async throttle(): Promise<void> {
    for (;;) {
      const t = this.now();
      while (this.sent.length && t - (this.sent[0] as number) >= 30_000) this.sent.shift();
      if (this.sent.length < this.limit) {
        this.sent.push(t);
        return;
      }
      await this.sleep(30_000 - (t - (this.sent[0] as number)) + 50);
    }
  }

  private async get(url: string): Promise<unknown> {
    const retries = this.opts.retries ?? 4;
    let last = '';
    for (let attempt = 0; attempt <= retries; attempt++) {
      await this.throttle();
      let res: Response;
      try {
        res = await this.opts.fetch(url, {
          headers: { accept: 'application/json', ...(this.opts.apiKey ? { apiKey: this.opts.apiKey } : {}) },
        });
      } catch (e) {
        last = e instanceof Error ? e.message : String(e);
        await this.sleep(2 ** attempt * 2000);
        continue;
      }
      if (res.ok) {
        try {
          return await res.json();
        } catch {
          throw new NvdApiError('NVD API: the answer is not JSON', res.status);
        }
      }
      last = `HTTP ${res.status}${res.headers.get('message') ? `: ${res.headers.get('message')}` : ''}`;
      // Read the refusal to its end, so the connection is free for the next attempt.
      await res.text().catch(() => '');
      // 403 is how the NVD says "rate limited"; 429 and 5xx are worth another try too.
      if (res.status !== 403 && res.status !== 429 && res.status < 500)
        throw new NvdApiError(`NVD API: ${last}`, res.status);
      await this.sleep(2 ** attempt * 6000);
    }
    throw new NvdApiError(`NVD API: gave up after ${retries + 1} attempts (${last})`);
  }

  /**
   * Every page of CVEs modified in [from, to), from `resume` when given (a position an earlier run stored).
   */
  async *changes(from: Date, to: Date, resume?: NvdPosition | null): AsyncGenerator<NvdPage> {
    const per = this.opts.resultsPerPage ?? 2000;
    let windows = nvdWindows(from, to);
    let startIndex = 0;
    if (resume) {
      const at = windows.findIndex(
        (w) => w.start.toISOString() === new Date(resume.windowStart).toISOString(),
      );
      if (at >= 0) {
        windows = windows.slice(at);
        startIndex = resume.startIndex;
      } else if (new Date(resume.windowStart).getTime() >= to.getTime()) {
        windows = [];
      }
    }
    for (const w of windows) {
      for (;;) {
        const q = new URLSearchParams({
          lastModStartDate: nvdTime(w.start),
          lastModEndDate: nvdTime(w.end),
          startIndex: String(startIndex),
          resultsPerPage: String(per),
        });
        const body = (await this.get(`${this.baseUrl}?${q}`)) as {
          totalResults?: unknown;
          vulnerabilities?: unknown;
          resultsPerPage?: unknown;
        };
        if (typeof body?.totalResults !== 'number' || !Array.isArray(body.vulnerabilities)) {
          throw new NvdApiError('NVD API: the answer has no totalResults / vulnerabilities');
        }
        const position = { windowStart: w.start.toISOString(), windowEnd: w.end.toISOString(), startIndex };
        const got = body.vulnerabilities.length;
        const nextIndex = startIndex + got;
        const done = got === 0 || nextIndex >= body.totalResults;
        yield {
          position,
          next: done ? null : { ...position, startIndex: nextIndex },
          totalResults: body.totalResults,
          vulnerabilities: body.vulnerabilities as { cve: NvdCve }[],
        };
        if (done) break;
        startIndex = nextIndex;
      }
      startIndex = 0;
    }
  }
}
