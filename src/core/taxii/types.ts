/** TAXII 2.1 resources (OASIS TAXII 2.1, section 4 onwards). Pure types and constants, no I/O. */

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

/** Section 4.1.1. */
export interface Discovery {
  title: string;
  description?: string;
  contact?: string;
  default?: string;
  api_roots?: string[];
}

/** Section 4.2.1. */
export interface ApiRoot {
  title: string;
  description?: string;
  versions: string[];
  max_content_length: number;
}

/** Section 5.2.1. */
export interface Collection {
  id: string;
  title: string;
  description?: string;
  alias?: string;
  can_read: boolean;
  can_write: boolean;
  media_types?: string[];
}

export interface Collections {
  collections?: Collection[];
}

/** Section 5.3.1. */
export interface ManifestRecord {
  id: string;
  date_added: string;
  version: string;
  media_type?: string;
}

export interface Manifest {
  more?: boolean;
  next?: string;
  objects?: ManifestRecord[];
}

/** Section 3.7. */
export interface Envelope<T = Record<string, unknown>> {
  more?: boolean;
  next?: string;
  objects?: T[];
}

/** Section 5.7.1. */
export interface VersionsResource {
  more?: boolean;
  next?: string;
  versions?: string[];
}

/** Section 4.3.1. */
export interface StatusDetail {
  id: string;
  version: string;
  message?: string;
}

export interface Status {
  id: string;
  status: 'complete' | 'pending';
  request_timestamp?: string;
  total_count: number;
  success_count: number;
  successes?: StatusDetail[];
  failure_count: number;
  failures?: StatusDetail[];
  pending_count: number;
  pendings?: StatusDetail[];
}

/** Section 3.6.1: the error message of every TAXII error response. */
export interface TaxiiErrorBody {
  title: string;
  description?: string;
  error_id?: string;
  error_code?: string;
  http_status?: string;
  external_details?: string;
  details?: Record<string, unknown>;
}

/** Section 3.4: filters of the objects, manifest and versions endpoints. */
export interface ObjectFilters {
  added_after?: string;
  limit?: number;
  next?: string;
  match?: {
    id?: string[];
    type?: string[];
    version?: string[];
    spec_version?: string[];
  };
}

/** The query string for the filters: comma-separated values OR, different parameters AND. */
export function filtersToQuery(f: ObjectFilters = {}): string {
  const p = new URLSearchParams();
  if (f.added_after) p.set('added_after', f.added_after);
  if (f.limit !== undefined) p.set('limit', String(f.limit));
  if (f.next) p.set('next', f.next);
  for (const [k, v] of Object.entries(f.match ?? {})) {
    if (v?.length) p.set(`match[${k}]`, v.join(','));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Whether an Accept or Content-Type header names the TAXII 2.1 media type (a missing version means 2.1). */
export function isTaxiiMediaType(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (type !== 'application/taxii+json') return false;
    const version = params.find((p) => p.startsWith('version='));
    return !version || version === 'version=2.1';
  });
}
