/** TAXII 2.1: protocol types and a client over any fetch function. Pure, no server imports. */
export {
  type FetchLike,
  type Page,
  retryAfterSeconds,
  TaxiiClient,
  type TaxiiClientOptions,
  TaxiiError,
} from './client.js';
export * from './types.js';
