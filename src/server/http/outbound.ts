/**
 * The policy for requests the server makes to addresses people type in (a gophish server, later TAXII feeds).
 *
 * Link-local and cloud metadata addresses (169.254.0.0/16, fe80::/10, fd00:ec2::254, …), unspecified, multicast
 * and broadcast addresses are always refused: nothing a city configures lives there, and a metadata service hands
 * out the host's credentials. Loopback and private ranges (127.0.0.0/8, 10.0.0.0/8, 172.16.0.0/12,
 * 192.168.0.0/16, 100.64.0.0/10, ::1, fc00::/7) are refused unless the instance allows private networks
 * (`CITYWALL_OUTBOUND_ALLOW_PRIVATE`, true by default because a self-hosted city's gophish usually runs inside its
 * own network).
 *
 * Host names are resolved and every address is checked; the connection is then made through a lookup that
 * checks again the addresses it actually connects to, so a name that changes its answer between the check and
 * the connection (DNS rebinding) is refused too. Redirects are not followed.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { AppError } from '../errors.js';

export interface OutboundPolicy {
  /** Whether loopback and private (RFC 1918, ULA, CGNAT) addresses may be reached. */
  allowPrivate: boolean;
}

/** The policy when the configuration gives none: the default of CITYWALL_OUTBOUND_ALLOW_PRIVATE. */
export const DEFAULT_OUTBOUND: OutboundPolicy = { allowPrivate: true };

export type AddressClass = 'public' | 'private' | 'forbidden';

const forbidden = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['100.100.100.200', 32], // Alibaba Cloud metadata
  ['192.0.0.0', 24], // IETF protocol assignments (incl. Oracle Cloud 192.0.0.192)
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  forbidden.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128], // unspecified
  ['fe80::', 10], // link-local
  ['fd00:ec2::254', 128], // AWS metadata over IPv6
  ['ff00::', 8], // multicast
] as const) {
  forbidden.addSubnet(net, bits, 'ipv6');
}

const privateNets = new BlockList();
for (const [net, bits] of [
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['198.18.0.0', 15], // benchmarking
] as const) {
  privateNets.addSubnet(net, bits, 'ipv4');
}
privateNets.addAddress('::1', 'ipv6');
privateNets.addSubnet('fc00::', 7, 'ipv6'); // unique local

/** An IPv4-mapped or IPv4-compatible IPv6 address (::ffff:10.0.0.1) is judged as the IPv4 address it carries. */
function unmap(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const v = isIP(address);
  if (v === 4) return { address, family: 'ipv4' };
  const mapped = /^::(?:ffff:(?:0+:)?)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1], family: 'ipv4' };
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const hi = Number.parseInt(hex[1], 16);
    const lo = Number.parseInt(hex[2], 16);
    return { address: `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, family: 'ipv4' };
  }
  return { address, family: 'ipv6' };
}

/** Classifies one IP address: always refused, private (loopback, RFC 1918, ULA, CGNAT), or public. */
export function classifyAddress(address: string): AddressClass {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!isIP(bare)) throw new Error(`not an IP address: ${address}`);
  const { address: a, family } = unmap(bare);
  if (forbidden.check(a, family)) return 'forbidden';
  if (privateNets.check(a, family)) return 'private';
  return 'public';
}

function refusal(address: string, cls: AddressClass, host: string, field: string) {
  const why =
    cls === 'forbidden'
      ? `${address} is a link-local, metadata or reserved address, which Citywall never connects to`
      : `${address} is a loopback or private address, and this instance does not allow private networks (CITYWALL_OUTBOUND_ALLOW_PRIVATE=false)`;
  return new AppError('validation', `Refused to connect to ${host}: ${why}`, {
    errors: [{ path: field, message: `address ${address} not allowed` }],
  });
}

function judge(address: string, policy: OutboundPolicy): AddressClass | null {
  const cls = classifyAddress(address);
  if (cls === 'forbidden' || (cls === 'private' && !policy.allowPrivate)) return cls;
  return null;
}

const resolveAll = (host: string) =>
  new Promise<LookupAddress[]>((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addrs) => (err ? reject(err) : resolve(addrs))),
  );

/**
 * Checks a URL against the policy before anything is sent: http or https only, and every address its host
 * resolves to allowed. Returns the URL parsed. `field` names the input in the problem's `errors`.
 */
export async function checkOutboundUrl(
  raw: string,
  policy: OutboundPolicy,
  field = 'url',
  opts: { allowUnresolved?: boolean } = {},
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('validation', `${raw} is not a URL`, {
      errors: [{ path: field, message: 'not a URL' }],
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('validation', `Only http and https URLs may be fetched, not ${url.protocol}`, {
      errors: [{ path: field, message: 'http or https only' }],
    });
  }
  if (url.username || url.password) {
    throw new AppError('validation', 'A URL to fetch may not carry a user name or password', {
      errors: [{ path: field, message: 'credentials in the URL' }],
    });
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await resolveAll(host)).map((a) => a.address);
    } catch (e) {
      // Saving an address for later (a feed, a webhook) need not wait for its name to resolve: every request
      // made to it is checked again when it is sent.
      if (opts.allowUnresolved) return url;
      throw new AppError('unavailable', `The name ${host} cannot be resolved: ${(e as Error).message}`);
    }
  }
  for (const a of addresses) {
    const cls = judge(a, policy);
    if (cls) throw refusal(a, cls, host, field);
  }
  return url;
}

export interface OutboundResponse {
  status: number;
  ok: boolean;
  headers: IncomingHttpHeaders;
  text(): string;
  json(): unknown;
}

export interface OutboundRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Whole-request time limit. */
  timeoutMs?: number;
  /** The largest response body read; a longer one is an error. */
  maxBytes?: number;
  /** The input named in problems. */
  field?: string;
}

/**
 * Fetches a URL under the policy: checks it (see `checkOutboundUrl`), then connects only to addresses that pass
 * the policy at connection time. Redirects are returned as they are, not followed.
 */
export async function outboundFetch(
  raw: string,
  policy: OutboundPolicy,
  opts: OutboundRequest = {},
): Promise<OutboundResponse> {
  const field = opts.field ?? 'url';
  const url = await checkOutboundUrl(raw, policy, field);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let refused: AppError | undefined;
  const guardedLookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true, verbatim: true }, (err, addrs) => {
      if (err) return callback(err, '', 4);
      const list = addrs as LookupAddress[];
      for (const a of list) {
        const cls = judge(a.address, policy);
        if (cls) {
          refused = refusal(a.address, cls, host, field);
          return callback(refused, '', 4);
        }
      }
      if ((options as { all?: boolean }).all)
        return (callback as never as (e: null, a: LookupAddress[]) => void)(null, list);
      return callback(null, list[0].address, list[0].family);
    });
  };
  const maxBytes = opts.maxBytes ?? 50 * 1024 * 1024;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<OutboundResponse>((resolve, reject) => {
    const req = send(
      url,
      {
        method: opts.method ?? 'GET',
        // A body goes with its length (not chunked), so a server can refuse an oversized one up front.
        headers:
          opts.body !== undefined &&
          !Object.keys(opts.headers ?? {}).some((k) => k.toLowerCase() === 'content-length')
            ? { ...opts.headers, 'content-length': String(Buffer.byteLength(opts.body)) }
            : opts.headers,
        lookup: guardedLookup,
        timeout: opts.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            req.destroy(new Error(`the answer is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB`));
            return;
          }
          chunks.push(c);
        });
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          resolve({
            status,
            ok: status >= 200 && status < 300,
            headers: res.headers,
            text: () => body,
            json: () => JSON.parse(body),
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer in time')));
    req.on('error', (e) => reject(refused ?? e));
    req.end(opts.body);
  });
}

/**
 * The policy as a `fetch`: for clients written against the Fetch API (the TAXII client, webhooks). Methods,
 * headers and a string body pass through; the answer comes back as a standard Response.
 */
export function policyFetch(
  policy: OutboundPolicy,
  field = 'url',
): (url: string, init?: RequestInit) => Promise<Response> {
  return async (url, init = {}) => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => {
      headers[k] = v;
    });
    const method = (init.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'POST')
      throw new Error(`outbound ${method} requests are not supported`);
    if (init.body !== undefined && init.body !== null && typeof init.body !== 'string') {
      throw new Error('outbound request bodies must be strings');
    }
    const res = await outboundFetch(url, policy, {
      method,
      headers,
      ...(typeof init.body === 'string' ? { body: init.body } : {}),
      field,
    });
    const out = new Headers();
    for (const [k, v] of Object.entries(res.headers)) {
      if (Array.isArray(v)) for (const x of v) out.append(k, x);
      else if (v !== undefined) out.set(k, v);
    }
    const nullBody = res.status === 204 || res.status === 304;
    return new Response(nullBody ? null : res.text(), { status: res.status, headers: out });
  };
}
