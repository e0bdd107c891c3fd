import { z } from 'zod';
import type { Catalog, Profile } from './types.js';

// Patterns of the OSCAL 1.1 datatypes that matter for references: a token is what ids are made of, the
// uuid must be version 4 or 5, and date-times must carry a time zone so timestamps stay comparable.
export const TOKEN_PATTERN = /^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$/u;
export const UUID_PATTERN =
  /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[45][0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$/;
export const DATE_TIME_WITH_TZ_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const token = () =>
  z.string().regex(TOKEN_PATTERN, { message: 'must be an OSCAL token (letters, digits, . - _)' });
const uuid = () => z.string().regex(UUID_PATTERN, { message: 'must be a version 4 or 5 UUID' });
const dateTime = () =>
  z.string().regex(DATE_TIME_WITH_TZ_PATTERN, { message: 'must be an RFC 3339 date-time with a time zone' });
const nonEmpty = () => z.string().min(1, { message: 'must not be empty' });

export interface OscalSchemas {
  catalog: z.ZodType<Catalog>;
  profile: z.ZodType<Profile>;
}

/**
 * Builds the schemas. `strict` rejects fields OSCAL 1.1 does not define; the default keeps them because real
 * content mixes model versions (the NIST SP 800-53 rev5 catalog still uses OSCAL 1.0's `depends-on`).
 */
function buildSchemas(strict: boolean): OscalSchemas {
  // biome-ignore lint/suspicious/noExplicitAny: the shape type differs between the strict and loose builders
  const obj = (shape: Record<string, any>) => (strict ? z.strictObject(shape) : z.looseObject(shape));
  const arr = <T extends z.ZodType>(item: T) => z.array(item);

  const property = obj({
    name: token(),
    value: nonEmpty(),
    uuid: uuid().optional(),
    ns: z.string().optional(),
    class: token().optional(),
    group: token().optional(),
    remarks: z.string().optional(),
  });
  const link = obj({
    href: nonEmpty(),
    rel: token().optional(),
    'media-type': z.string().optional(),
    'resource-fragment': z.string().optional(),
    text: z.string().optional(),
  });
  const part: z.ZodType = z.lazy(() =>
    obj({
      name: token(),
      id: token().optional(),
      ns: z.string().optional(),
      class: token().optional(),
      title: z.string().optional(),
      props: arr(property).optional(),
      prose: z.string().optional(),
      parts: arr(part).optional(),
      links: arr(link).optional(),
    }),
  );
  const selection = obj({
    'how-many': z.enum(['one', 'one-or-more']).optional(),
    choice: arr(z.string()).optional(),
  });
  const constraint = obj({
    description: z.string().optional(),
    tests: arr(obj({ expression: nonEmpty(), remarks: z.string().optional() })).optional(),
  });
  const guideline = obj({ prose: z.string() });
  const paramFields = {
    class: token().optional(),
    props: arr(property).optional(),
    links: arr(link).optional(),
    label: z.string().optional(),
    usage: z.string().optional(),
    constraints: arr(constraint).optional(),
    guidelines: arr(guideline).optional(),
    values: arr(z.string()).optional(),
    select: selection.optional(),
  };
  const param = obj({ id: token(), ...paramFields, remarks: z.string().optional() });
  const control: z.ZodType = z.lazy(() =>
    obj({
      id: token(),
      title: z.string(),
      class: token().optional(),
      params: arr(param).optional(),
      props: arr(property).optional(),
      links: arr(link).optional(),
      parts: arr(part).optional(),
      controls: arr(control).optional(),
    }),
  );
  const group: z.ZodType = z.lazy(() =>
    obj({
      title: z.string(),
      id: token().optional(),
      class: token().optional(),
      params: arr(param).optional(),
      props: arr(property).optional(),
      links: arr(link).optional(),
      parts: arr(part).optional(),
      groups: arr(group).optional(),
      controls: arr(control).optional(),
    }),
  );
  // Metadata parts beyond the required fields (roles, parties, revisions, ...) are kept without a deeper check:
  // Citywall never reads them, it only carries them through.
  const metadata = obj({
    title: nonEmpty(),
    'last-modified': dateTime(),
    version: nonEmpty(),
    'oscal-version': nonEmpty(),
    published: dateTime().optional(),
    props: arr(property).optional(),
    links: arr(link).optional(),
    revisions: arr(z.looseObject({})).optional(),
    'document-ids': arr(z.looseObject({ identifier: z.string() })).optional(),
    roles: arr(z.looseObject({ id: token(), title: z.string() })).optional(),
    locations: arr(z.looseObject({})).optional(),
    parties: arr(z.looseObject({ uuid: uuid(), type: z.string() })).optional(),
    'responsible-parties': arr(z.looseObject({ 'role-id': token(), 'party-uuids': arr(uuid()) })).optional(),
    actions: arr(z.looseObject({})).optional(),
    remarks: z.string().optional(),
  });
  const resource = obj({
    uuid: uuid(),
    title: z.string().optional(),
    description: z.string().optional(),
    props: arr(property).optional(),
    'document-ids': arr(z.looseObject({ identifier: z.string() })).optional(),
    citation: obj({
      text: z.string(),
      props: arr(property).optional(),
      links: arr(link).optional(),
    }).optional(),
    rlinks: arr(
      obj({
        href: nonEmpty(),
        'media-type': z.string().optional(),
        hashes: arr(z.looseObject({ algorithm: z.string(), value: z.string() })).optional(),
      }),
    ).optional(),
    base64: z.looseObject({ value: z.string() }).optional(),
    remarks: z.string().optional(),
  });
  const backMatter = obj({ resources: arr(resource).optional() });

  const catalog = obj({
    uuid: uuid(),
    metadata,
    params: arr(param).optional(),
    controls: arr(control).optional(),
    groups: arr(group).optional(),
    'back-matter': backMatter.optional(),
  });

  const selectById = obj({
    'with-child-controls': z.enum(['yes', 'no']).optional(),
    'with-ids': arr(token()).optional(),
    matching: arr(obj({ pattern: nonEmpty() })).optional(),
  });
  const includeAll = obj({});
  const importSchema = obj({
    href: nonEmpty(),
    'include-all': includeAll.optional(),
    'include-controls': arr(selectById).optional(),
    'exclude-controls': arr(selectById).optional(),
  }).refine((i) => !(i['include-all'] && i['include-controls']), {
    message: 'an import takes either include-all or include-controls, not both',
  });
  const insertControls = obj({
    order: z.enum(['keep', 'ascending', 'descending']).optional(),
    'include-all': includeAll.optional(),
    'include-controls': arr(selectById).optional(),
    'exclude-controls': arr(selectById).optional(),
  });
  const customGroup: z.ZodType = z.lazy(() =>
    obj({
      title: z.string(),
      id: token().optional(),
      class: token().optional(),
      params: arr(param).optional(),
      props: arr(property).optional(),
      links: arr(link).optional(),
      parts: arr(part).optional(),
      groups: arr(customGroup).optional(),
      'insert-controls': arr(insertControls).optional(),
    }),
  );
  const merge = obj({
    combine: obj({ method: z.enum(['use-first', 'merge', 'keep']).optional() }).optional(),
    flat: obj({}).optional(),
    'as-is': z.boolean().optional(),
    custom: obj({
      groups: arr(customGroup).optional(),
      'insert-controls': arr(insertControls).optional(),
    }).optional(),
  });
  const setParameter = obj({ 'param-id': token(), ...paramFields });
  const remove = obj({
    'by-name': token().optional(),
    'by-class': token().optional(),
    'by-id': token().optional(),
    'by-item-name': token().optional(),
    'by-ns': z.string().optional(),
  });
  const add = obj({
    position: z.enum(['before', 'after', 'starting', 'ending']).optional(),
    'by-id': token().optional(),
    title: z.string().optional(),
    params: arr(param).optional(),
    props: arr(property).optional(),
    links: arr(link).optional(),
    parts: arr(part).optional(),
  });
  const alter = obj({ 'control-id': token(), removes: arr(remove).optional(), adds: arr(add).optional() });
  const modify = obj({ 'set-parameters': arr(setParameter).optional(), alters: arr(alter).optional() });
  const profile = obj({
    uuid: uuid(),
    metadata,
    imports: arr(importSchema).min(1, { message: 'a profile needs at least one import' }),
    merge: merge.optional(),
    modify: modify.optional(),
    'back-matter': backMatter.optional(),
  });

  return {
    catalog: catalog as unknown as z.ZodType<Catalog>,
    profile: profile as unknown as z.ZodType<Profile>,
  };
}

let loose: OscalSchemas | undefined;
let strictSchemas: OscalSchemas | undefined;

export function oscalSchemas(strict = false): OscalSchemas {
  if (strict) {
    strictSchemas ??= buildSchemas(true);
    return strictSchemas;
  }
  loose ??= buildSchemas(false);
  return loose;
}
