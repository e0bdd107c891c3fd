import type { Ctx } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import { AppError } from '../../errors.js';
import type { OrgRow } from '../orgs/orgs.repository.js';
import { orgsDirectory, orgsService } from '../orgs/orgs.service.js';
import { type PersonRow, peopleRepository } from './workforce.repository.js';
import { workforceService } from './workforce.service.js';

export const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SCIM_ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const SCIM_LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const SCIM_PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** A SCIM error (RFC 7644 §3.12): the HTTP edge renders it in SCIM's own format. */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly scimType?: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;
interface ScimFields {
  userName?: string;
  externalId?: string | null;
  givenName?: string;
  familyName?: string;
  displayName?: string;
  email?: string;
  jobTitle?: string;
  active?: boolean;
  department?: string | null;
  managerId?: string | null;
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(v: unknown, attr: string): string {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'string') throw new ScimError(400, `${attr} must be a string`, 'invalidValue');
  return v.trim();
}

/** Entra ID sends booleans as "True"/"False" strings in PATCH operations. */
function bool(v: unknown, attr: string): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  throw new ScimError(400, `${attr} must be a boolean`, 'invalidValue');
}

function pickEmail(v: unknown): string {
  if (!Array.isArray(v)) throw new ScimError(400, 'emails must be an array', 'invalidValue');
  const e =
    v.find((x) => isObj(x) && x.primary === true) ?? v.find((x) => isObj(x) && x.type === 'work') ?? v[0];
  return isObj(e) ? str(e.value, 'emails.value') : '';
}

function managerOf(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'string') return v;
  if (isObj(v)) return v.value ? str(v.value, 'manager.value') : null;
  throw new ScimError(400, 'manager must be an object with a value', 'invalidValue');
}

/** Applies one attribute (by its SCIM path, lower-cased) to the fields; unsupported attributes are ignored. */
function applyAttr(f: ScimFields, path: string, value: unknown) {
  const p = path.toLowerCase();
  const ent = SCIM_ENTERPRISE.toLowerCase();
  if (p === 'username') f.userName = str(value, 'userName');
  else if (p === 'externalid') f.externalId = str(value, 'externalId') || null;
  else if (p === 'displayname') f.displayName = str(value, 'displayName');
  else if (p === 'title') f.jobTitle = str(value, 'title');
  else if (p === 'active') f.active = bool(value, 'active');
  else if (p === 'name') {
    if (!isObj(value)) throw new ScimError(400, 'name must be an object', 'invalidValue');
    for (const [k, v] of Object.entries(value)) applyAttr(f, `name.${k}`, v);
  } else if (p === 'name.givenname') f.givenName = str(value, 'name.givenName');
  else if (p === 'name.familyname') f.familyName = str(value, 'name.familyName');
  else if (p === 'emails') f.email = pickEmail(value);
  else if (/^emails\[type eq "work"\]\.value$/.test(p) || /^emails\[primary eq true\]\.value$/.test(p))
    f.email = str(value, 'emails.value');
  else if (p === ent) {
    if (!isObj(value)) throw new ScimError(400, `${SCIM_ENTERPRISE} must be an object`, 'invalidValue');
    for (const [k, v] of Object.entries(value)) applyAttr(f, `${ent}:${k}`, v);
  } else if (p === `${ent}:department`) f.department = str(value, 'department') || null;
  else if (p === `${ent}:manager` || p === `${ent}:manager.value`) f.managerId = managerOf(value);
  else if (p.includes('[')) throw new ScimError(400, `The path ${path} is not supported`, 'invalidPath');
}

function checkSchemas(body: Json) {
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(SCIM_USER))
    throw new ScimError(400, `schemas must include ${SCIM_USER}`, 'invalidSyntax');
  const unknown = schemas.filter((s) => s !== SCIM_USER && s !== SCIM_ENTERPRISE);
  if (unknown.length) throw new ScimError(400, `Unsupported schema ${unknown.join(', ')}`, 'invalidValue');
}

function fieldsOfResource(body: unknown): ScimFields {
  if (!isObj(body)) throw new ScimError(400, 'The body must be a SCIM User resource', 'invalidSyntax');
  checkSchemas(body);
  const f: ScimFields = {};
  for (const [k, v] of Object.entries(body)) {
    if (['schemas', 'id', 'meta', 'groups'].includes(k)) continue;
    applyAttr(f, k, v);
  }
  if (!f.userName) throw new ScimError(400, 'userName is required', 'invalidValue');
  return f;
}

async function resolveDepartment(db: DbOrTx, org: OrgRow, name: string | null | undefined) {
  if (!name) return null;
  const below = (await orgsDirectory.visible(db, [], [org.path])).filter((o) => o.id !== org.id);
  const d = below.find((o) => o.name.toLowerCase() === name.toLowerCase() || o.slug === name.toLowerCase());
  if (!d)
    throw new ScimError(
      400,
      `Unknown department "${name}": create it as an organization below ${org.name} first`,
      'invalidValue',
    );
  return d.id;
}

/**
 * An identity provider may send a manager before provisioning them: an unknown manager id is left unset rather
 * than failing the whole user, and the next sync fills it in.
 */
async function resolveManager(db: DbOrTx, orgId: string, id: string | null | undefined, selfId?: string) {
  if (!id || id === selfId || !/^[0-9a-f-]{36}$/i.test(id)) return null;
  return (await peopleRepository.byId(db, orgId, id)) ? id : null;
}

async function toInput(db: DbOrTx, org: OrgRow, f: ScimFields, base: Partial<PersonRow>, selfId?: string) {
  const givenName = f.givenName ?? base.givenName ?? '';
  const familyName = f.familyName ?? base.familyName ?? '';
  const userName = f.userName ?? (base.userName as string);
  const email = f.email ?? base.email ?? (userName.includes('@') ? userName : '');
  if (email && !/^[^\s@]+@[^\s@]+$/.test(email))
    throw new ScimError(400, `"${email}" is not an email address`, 'invalidValue');
  return {
    userName,
    externalId: f.externalId !== undefined ? f.externalId : (base.externalId ?? null),
    givenName,
    familyName,
    displayName:
      f.displayName || base.displayName || [givenName, familyName].filter(Boolean).join(' ') || userName,
    email,
    jobTitle: f.jobTitle ?? base.jobTitle ?? '',
    active: f.active ?? base.active ?? true,
    departmentOrgId:
      f.department !== undefined
        ? await resolveDepartment(db, org, f.department)
        : (base.departmentOrgId ?? null),
    managerId:
      f.managerId !== undefined
        ? await resolveManager(db, org.id, f.managerId, selfId)
        : (base.managerId ?? null),
  };
}

export function scimUser(p: PersonRow, departmentName: string | null, baseUrl: string) {
  return {
    schemas: [SCIM_USER, SCIM_ENTERPRISE],
    id: p.id,
    ...(p.externalId ? { externalId: p.externalId } : {}),
    userName: p.userName,
    name: { givenName: p.givenName, familyName: p.familyName, formatted: p.displayName },
    displayName: p.displayName,
    title: p.jobTitle,
    active: p.active,
    emails: p.email ? [{ value: p.email, type: 'work', primary: true }] : [],
    [SCIM_ENTERPRISE]: {
      ...(departmentName ? { department: departmentName } : {}),
      ...(p.managerId ? { manager: { value: p.managerId } } : {}),
    },
    meta: {
      resourceType: 'User',
      created: p.createdAt.toISOString(),
      lastModified: p.updatedAt.toISOString(),
      location: `${baseUrl}/Users/${p.id}`,
    },
  };
}

/** `userName eq "…"` and `externalId eq "…"`: what Entra ID and Okta send to find a user before creating it. */
function parseFilter(
  filter: string | undefined,
): { attr: 'userName' | 'externalId'; value: string } | undefined {
  if (filter === undefined || filter.trim() === '') return undefined;
  const m = /^\s*(userName|externalId)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(filter);
  if (!m)
    throw new ScimError(
      400,
      `Unsupported filter "${filter}": use userName eq "…" or externalId eq "…"`,
      'invalidFilter',
    );
  return {
    attr: m[1].toLowerCase() === 'username' ? 'userName' : 'externalId',
    value: m[2].replace(/\\(.)/g, '$1'),
  };
}

export const scimService = {
  async list(
    ctx: Ctx,
    orgId: string,
    q: { filter?: string; startIndex?: string; count?: string },
    baseUrl: string,
  ) {
    const org = await orgsService.access(ctx, orgId, 'members.manage');
    const filter = parseFilter(q.filter);
    const startIndex = Math.max(1, Number.parseInt(q.startIndex ?? '1', 10) || 1);
    const count = Math.min(200, Math.max(0, Number.parseInt(q.count ?? '100', 10) || 0));
    const depts = await departmentNames(ctx.db, org);
    let all: PersonRow[];
    if (filter) {
      const one =
        filter.attr === 'userName'
          ? await peopleRepository.byUserName(ctx.db, orgId, filter.value)
          : await peopleRepository.byExternalId(ctx.db, orgId, filter.value);
      all = one ? [one] : [];
    } else {
      all = await peopleRepository.all(ctx.db, orgId);
    }
    const pageRows = all.slice(startIndex - 1, startIndex - 1 + count);
    return {
      schemas: [SCIM_LIST],
      totalResults: all.length,
      startIndex,
      itemsPerPage: pageRows.length,
      Resources: pageRows.map((p) => scimUser(p, depts.get(p.departmentOrgId ?? '') ?? null, baseUrl)),
    };
  },

  async get(ctx: Ctx, orgId: string, id: string, baseUrl: string) {
    const org = await orgsService.access(ctx, orgId, 'members.manage');
    const p = await findPerson(ctx.db, orgId, id);
    return scimUser(p, (await departmentNames(ctx.db, org)).get(p.departmentOrgId ?? '') ?? null, baseUrl);
  },

  async create(ctx: Ctx, orgId: string, body: unknown, baseUrl: string) {
    const org = await orgsService.access(ctx, orgId, 'members.manage');
    const f = fieldsOfResource(body);
    const p = await ctx.db.transaction(async (tx) => {
      if (await peopleRepository.byUserName(tx, orgId, f.userName as string))
        throw new ScimError(409, `A user with userName "${f.userName}" already exists`, 'uniqueness');
      const input = await toInput(tx, org, f, {});
      return workforceService.insertPerson(
        tx,
        ctx,
        org,
        { ...input, workRoleIds: [], competencyIds: [], otStaff: false },
        'person.scim.create',
      );
    });
    return scimUser(p, (await departmentNames(ctx.db, org)).get(p.departmentOrgId ?? '') ?? null, baseUrl);
  },

  async replace(ctx: Ctx, orgId: string, id: string, body: unknown, baseUrl: string) {
    const org = await orgsService.access(ctx, orgId, 'members.manage');
    const f = fieldsOfResource(body);
    const p = await ctx.db.transaction(async (tx) => {
      const before = await findPerson(tx, orgId, id);
      // PUT replaces what SCIM manages; NICE roles and competencies are Citywall's own and stay.
      const input = await toInput(
        tx,
        org,
        { department: null, managerId: null, externalId: null, ...f },
        { userName: before.userName },
        id,
      );
      await assertUniqueName(tx, orgId, input.userName, id);
      return workforceService.patchPerson(tx, ctx, org, before, input, 'person.scim.replace');
    });
    return scimUser(p, (await departmentNames(ctx.db, org)).get(p.departmentOrgId ?? '') ?? null, baseUrl);
  },

  async patch(ctx: Ctx, orgId: string, id: string, body: unknown, baseUrl: string) {
    const org = await orgsService.access(ctx, orgId, 'members.manage');
    if (!isObj(body) || !Array.isArray(body.schemas) || !body.schemas.includes(SCIM_PATCH))
      throw new ScimError(400, `schemas must be [${SCIM_PATCH}]`, 'invalidSyntax');
    if (!Array.isArray(body.Operations) || body.Operations.length === 0)
      throw new ScimError(400, 'Operations must be a non-empty array', 'invalidSyntax');
    const f: ScimFields = {};
    for (const [i, op] of body.Operations.entries()) {
      if (!isObj(op) || typeof op.op !== 'string')
        throw new ScimError(400, `Operations[${i}] needs an op`, 'invalidSyntax');
      const kind = op.op.toLowerCase();
      const path = typeof op.path === 'string' ? op.path : undefined;
      if (kind === 'add' || kind === 'replace') {
        if (path) applyAttr(f, path, op.value);
        else if (isObj(op.value)) for (const [k, v] of Object.entries(op.value)) applyAttr(f, k, v);
        else
          throw new ScimError(400, `Operations[${i}] without a path needs an object value`, 'invalidValue');
      } else if (kind === 'remove') {
        if (!path) throw new ScimError(400, `Operations[${i}]: remove needs a path`, 'noTarget');
        if (/^username$/i.test(path)) throw new ScimError(400, 'userName cannot be removed', 'mutability');
        applyAttr(f, path, /^active$/i.test(path) ? false : path.toLowerCase() === 'emails' ? [] : null);
      } else {
        throw new ScimError(400, `Operations[${i}]: unknown op "${op.op}"`, 'invalidSyntax');
      }
    }
    const p = await ctx.db.transaction(async (tx) => {
      const before = await findPerson(tx, orgId, id);
      const input = await toInput(tx, org, f, before, id);
      await assertUniqueName(tx, orgId, input.userName, id);
      return workforceService.patchPerson(tx, ctx, org, before, input, 'person.scim.patch');
    });
    return scimUser(p, (await departmentNames(ctx.db, org)).get(p.departmentOrgId ?? '') ?? null, baseUrl);
  },

  async remove(ctx: Ctx, orgId: string, id: string) {
    const org = await orgsService.access(ctx, orgId, 'members.manage');
    await ctx.db.transaction(async (tx) => {
      const before = await findPerson(tx, orgId, id);
      await workforceService.deletePerson(tx, ctx, org, before, 'person.scim.delete');
    });
  },
};

async function findPerson(db: DbOrTx, orgId: string, id: string): Promise<PersonRow> {
  const p = /^[0-9a-f-]{36}$/i.test(id) ? await peopleRepository.byId(db, orgId, id) : undefined;
  if (!p) throw new ScimError(404, `User ${id} not found`);
  return p;
}

async function assertUniqueName(db: DbOrTx, orgId: string, userName: string, selfId: string) {
  const other = await peopleRepository.byUserName(db, orgId, userName);
  if (other && other.id !== selfId)
    throw new ScimError(409, `A user with userName "${userName}" already exists`, 'uniqueness');
}

async function departmentNames(db: DbOrTx, org: OrgRow) {
  return new Map((await orgsDirectory.visible(db, [], [org.path])).map((o) => [o.id, o.name]));
}

export function scimErrorOf(err: unknown): { status: number; body: Json } {
  let status = 500;
  let detail = 'Internal error';
  let scimType: string | undefined;
  if (err instanceof ScimError) {
    status = err.status;
    detail = err.message;
    scimType = err.scimType;
  } else if (err instanceof AppError) {
    // SCIM has no 422: validation failures are 400 invalidValue, duplicates 409 uniqueness.
    status = err.kind === 'validation' ? 400 : err.status;
    detail = err.message;
    if (err.kind === 'validation') scimType = 'invalidValue';
    if (err.kind === 'conflict') scimType = 'uniqueness';
  } else if (err instanceof SyntaxError || (isObj(err) && err.code === 'FST_ERR_CTP_INVALID_JSON_BODY')) {
    status = 400;
    detail = `The body is not valid JSON: ${(err as Error).message}`;
    scimType = 'invalidSyntax';
  } else if (isObj(err) && typeof err.statusCode === 'number' && err.statusCode < 500) {
    status = err.statusCode;
    detail = String(err.message);
  }
  return {
    status,
    body: { schemas: [SCIM_ERROR], status: String(status), ...(scimType ? { scimType } : {}), detail },
  };
}
