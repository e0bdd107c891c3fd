import {
  type ApiRoot,
  type Collection,
  type Collections,
  type Discovery,
  type Envelope,
  filtersToQuery,
  type Manifest,
  type ObjectFilters,
  type Status,
  TAXII_MEDIA_TYPE,
  type TaxiiErrorBody,
  type VersionsResource,
} from './types.js';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface TaxiiClientOptions {
  fetch: FetchLike;
  /** Sent as `Authorization`, e.g. `Bearer cw_…` or `Basic …`. */
  authorization?: string;
}

/** A TAXII error response, with the server's error message when it sent one. */
/**
 * The wait a `Retry-After` header asks for (RFC 9110, section 10.2.3: delay-seconds or an HTTP date), in whole
 * seconds from `now`; undefined when absent or unreadable.
 */
export function retryAfterSeconds(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  // An HTTP date starts with the day's name ("Sun, 06 Nov 1994 08:49:37 GMT", or the obsolete forms).
  if (!/^[A-Za-z]{3}/.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

export class TaxiiError extends Error {
  constructor(
    readonly status: number,
    readonly body: TaxiiErrorBody | undefined,
    readonly url: string,
    /** What the server's Retry-After asked for (429 and 503 answers), in seconds. */
    readonly retryAfterSeconds?: number,
  ) {
    super(
      `${status} from ${url}: ${body?.title ?? 'error'}${body?.description ? ` (${body.description})` : ''}`,
    );
    this.name = 'TaxiiError';
  }
}

export interface Page<T> {
  items: T[];
  more: boolean;
  next?: string;
  dateAddedFirst?: string;
  dateAddedLast?: string;
}

const slash = (u: string) => (u.endsWith('/') ? u : `${u}/`);

/**
 * A TAXII 2.1 client over any fetch function. Paths are resolved against the API root URL the caller gives (as
 * listed by discovery); collection and object ids are URL-encoded.
 */
export class TaxiiClient {
  constructor(private readonly opts: TaxiiClientOptions) {}

  private async request<T>(url: string, init: RequestInit = {}): Promise<{ body: T; headers: Headers }> {
    const headers: Record<string, string> = { accept: TAXII_MEDIA_TYPE };
    if (this.opts.authorization) headers.authorization = this.opts.authorization;
    if (init.body !== undefined) headers['content-type'] = TAXII_MEDIA_TYPE;
    const res = await this.opts.fetch(url, { ...init, headers: { ...headers, ...(init.headers as object) } });
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!res.ok)
      throw new TaxiiError(
        res.status,
        body as TaxiiErrorBody | undefined,
        url,
        retryAfterSeconds(res.headers.get('retry-after')),
      );
    return { body: body as T, headers: res.headers };
  }

  async discovery(serverUrl: string): Promise<Discovery> {
    return (await this.request<Discovery>(slash(serverUrl))).body;
  }

  async apiRoot(root: string): Promise<ApiRoot> {
    return (await this.request<ApiRoot>(slash(root))).body;
  }

  async collections(root: string): Promise<Collection[]> {
    return (await this.request<Collections>(`${slash(root)}collections/`)).body.collections ?? [];
  }

  async collection(root: string, id: string): Promise<Collection> {
    return (await this.request<Collection>(`${slash(root)}collections/${encodeURIComponent(id)}/`)).body;
  }

  private page<T>(
    body: { more?: boolean; next?: string },
    items: T[] | undefined,
    headers: Headers,
  ): Page<T> {
    return {
      items: items ?? [],
      more: body.more === true,
      next: body.next,
      dateAddedFirst: headers.get('x-taxii-date-added-first') ?? undefined,
      dateAddedLast: headers.get('x-taxii-date-added-last') ?? undefined,
    };
  }

  async getObjects(
    root: string,
    collectionId: string,
    filters?: ObjectFilters,
  ): Promise<Page<Record<string, unknown>>> {
    const { body, headers } = await this.request<Envelope>(
      `${slash(root)}collections/${encodeURIComponent(collectionId)}/objects/${filtersToQuery(filters)}`,
    );
    return this.page(body, body?.objects, headers);
  }

  /**
   * Every object matching the filters, following `next` until the server says there is no more. A server that
   * answers `more` without `next`, or hands out a `next` it gave before, cannot be paged further: the walk stops
   * rather than loop.
   */
  async *allObjects(root: string, collectionId: string, filters: ObjectFilters = {}) {
    const seen = new Set<string>();
    let next: string | undefined;
    do {
      const page = await this.getObjects(root, collectionId, { ...filters, next });
      yield page;
      next = page.more ? page.next : undefined;
      if (next !== undefined) {
        if (seen.has(next)) next = undefined;
        else seen.add(next);
      }
    } while (next);
  }

  async manifest(root: string, collectionId: string, filters?: ObjectFilters) {
    const { body, headers } = await this.request<Manifest>(
      `${slash(root)}collections/${encodeURIComponent(collectionId)}/manifest/${filtersToQuery(filters)}`,
    );
    return this.page(body, body?.objects, headers);
  }

  async getObject(root: string, collectionId: string, objectId: string, filters?: ObjectFilters) {
    const { body, headers } = await this.request<Envelope>(
      `${slash(root)}collections/${encodeURIComponent(collectionId)}/objects/${encodeURIComponent(objectId)}/${filtersToQuery(filters)}`,
    );
    return this.page(body, body?.objects, headers);
  }

  async versions(root: string, collectionId: string, objectId: string, filters?: ObjectFilters) {
    const { body, headers } = await this.request<VersionsResource>(
      `${slash(root)}collections/${encodeURIComponent(collectionId)}/objects/${encodeURIComponent(objectId)}/versions/${filtersToQuery(filters)}`,
    );
    return this.page(body, body?.versions, headers);
  }

  async addObjects(root: string, collectionId: string, objects: unknown[]): Promise<Status> {
    return (
      await this.request<Status>(`${slash(root)}collections/${encodeURIComponent(collectionId)}/objects/`, {
        method: 'POST',
        body: JSON.stringify({ objects }),
      })
    ).body;
  }

  async deleteObject(root: string, collectionId: string, objectId: string, filters?: ObjectFilters) {
    await this.request<unknown>(
      `${slash(root)}collections/${encodeURIComponent(collectionId)}/objects/${encodeURIComponent(objectId)}/${filtersToQuery(filters)}`,
      { method: 'DELETE' },
    );
  }

  async status(root: string, statusId: string): Promise<Status> {
    return (await this.request<Status>(`${slash(root)}status/${encodeURIComponent(statusId)}/`)).body;
  }
}
