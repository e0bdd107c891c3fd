// OSCAL 1.1 JSON shapes for the catalog and profile models. Every object carries an index signature: fields
// this module does not know (OSCAL 1.0's `param.depends-on`, later additions, extension data) are kept and
// written back on export, so a round trip never loses content.

export type Extra = { [key: string]: unknown };

export interface Property extends Extra {
  name: string;
  value: string;
  uuid?: string;
  ns?: string;
  class?: string;
  group?: string;
  remarks?: string;
}

export interface Link extends Extra {
  href: string;
  rel?: string;
  'media-type'?: string;
  'resource-fragment'?: string;
  text?: string;
}

export interface Part extends Extra {
  name: string;
  id?: string;
  ns?: string;
  class?: string;
  title?: string;
  props?: Property[];
  prose?: string;
  parts?: Part[];
  links?: Link[];
}

export interface ParameterSelection extends Extra {
  'how-many'?: 'one' | 'one-or-more';
  choice?: string[];
}

export interface ParameterConstraint extends Extra {
  description?: string;
  tests?: { expression: string; remarks?: string; [key: string]: unknown }[];
}

export interface ParameterGuideline extends Extra {
  prose: string;
}

export interface Parameter extends Extra {
  id: string;
  class?: string;
  props?: Property[];
  links?: Link[];
  label?: string;
  usage?: string;
  constraints?: ParameterConstraint[];
  guidelines?: ParameterGuideline[];
  values?: string[];
  select?: ParameterSelection;
  remarks?: string;
}

export interface Control extends Extra {
  id: string;
  title: string;
  class?: string;
  params?: Parameter[];
  props?: Property[];
  links?: Link[];
  parts?: Part[];
  controls?: Control[];
}

export interface Group extends Extra {
  title: string;
  id?: string;
  class?: string;
  params?: Parameter[];
  props?: Property[];
  links?: Link[];
  parts?: Part[];
  groups?: Group[];
  controls?: Control[];
}

export interface Metadata extends Extra {
  title: string;
  'last-modified': string;
  version: string;
  'oscal-version': string;
  published?: string;
  props?: Property[];
  links?: Link[];
  remarks?: string;
}

export interface Resource extends Extra {
  uuid: string;
  title?: string;
  description?: string;
  props?: Property[];
  citation?: { text: string; [key: string]: unknown };
  rlinks?: { href: string; 'media-type'?: string; [key: string]: unknown }[];
  remarks?: string;
}

export interface BackMatter extends Extra {
  resources?: Resource[];
}

export interface Catalog extends Extra {
  uuid: string;
  metadata: Metadata;
  params?: Parameter[];
  controls?: Control[];
  groups?: Group[];
  'back-matter'?: BackMatter;
}

export interface SelectControlById extends Extra {
  'with-child-controls'?: 'yes' | 'no';
  'with-ids'?: string[];
  matching?: { pattern: string; [key: string]: unknown }[];
}

export interface Import extends Extra {
  href: string;
  'include-all'?: Extra;
  'include-controls'?: SelectControlById[];
  'exclude-controls'?: SelectControlById[];
}

export interface InsertControls extends Extra {
  order?: 'keep' | 'ascending' | 'descending';
  'include-all'?: Extra;
  'include-controls'?: SelectControlById[];
  'exclude-controls'?: SelectControlById[];
}

export interface CustomGroup extends Extra {
  title: string;
  id?: string;
  class?: string;
  params?: Parameter[];
  props?: Property[];
  links?: Link[];
  parts?: Part[];
  groups?: CustomGroup[];
  'insert-controls'?: InsertControls[];
}

export interface Merge extends Extra {
  combine?: { method?: 'use-first' | 'merge' | 'keep'; [key: string]: unknown };
  flat?: Extra;
  'as-is'?: boolean;
  custom?: { groups?: CustomGroup[]; 'insert-controls'?: InsertControls[]; [key: string]: unknown };
}

export interface SetParameter extends Extra {
  'param-id': string;
  class?: string;
  props?: Property[];
  links?: Link[];
  label?: string;
  usage?: string;
  constraints?: ParameterConstraint[];
  guidelines?: ParameterGuideline[];
  values?: string[];
  select?: ParameterSelection;
}

export interface Remove extends Extra {
  'by-name'?: string;
  'by-class'?: string;
  'by-id'?: string;
  'by-item-name'?: string;
  'by-ns'?: string;
}

export interface Add extends Extra {
  position?: 'before' | 'after' | 'starting' | 'ending';
  'by-id'?: string;
  title?: string;
  params?: Parameter[];
  props?: Property[];
  links?: Link[];
  parts?: Part[];
}

export interface Alter extends Extra {
  'control-id': string;
  removes?: Remove[];
  adds?: Add[];
}

export interface Modify extends Extra {
  'set-parameters'?: SetParameter[];
  alters?: Alter[];
}

export interface Profile extends Extra {
  uuid: string;
  metadata: Metadata;
  imports: Import[];
  merge?: Merge;
  modify?: Modify;
  'back-matter'?: BackMatter;
}
