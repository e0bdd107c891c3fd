import { describe, expect, it } from 'vitest';
import { smallCatalog } from './__fixtures__/small.js';
import { collectParams, flattenCatalog, insertParams } from './flatten.js';

describe('flattenCatalog', () => {
  const flat = flattenCatalog(smallCatalog());
  const byId = new Map(flat.map((c) => [c.id, c]));

  it('lists nested controls in document order with parent, group and depth', () => {
    expect(flat.map((c) => c.id)).toEqual(['ac-1', 'ac-2', 'ac-2.1', 'ac-2.1.1', 'ac-2.2', 'ir-1']);
    expect(flat.map((c) => c.sortOrder)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(byId.get('ac-2.1.1')).toMatchObject({
      parentId: 'ac-2.1',
      depth: 2,
      groupId: 'ac',
      groupPath: ['ac'],
    });
    expect(byId.get('ac-2')).toMatchObject({ parentId: null, depth: 0, childIds: ['ac-2.1', 'ac-2.2'] });
    expect(byId.get('ir-1')).toMatchObject({
      groupId: 'ir-sub',
      groupTitle: 'Incident sub-family',
      groupPath: ['ir', 'ir-sub'],
    });
    expect(byId.get('ac-1')).toMatchObject({
      label: 'AC-1',
      sortId: 'ac-01',
      partNames: ['statement', 'guidance'],
    });
    expect(byId.get('ac-2')?.sortId).toBe('ac-2');
  });

  it('marks withdrawn controls', () => {
    expect(flat.filter((c) => c.withdrawn).map((c) => c.id)).toEqual(['ac-2.2']);
  });

  it('renders statements with labels, nesting and parameters', () => {
    expect(byId.get('ac-1')?.statement).toBe(
      [
        'a. Give the policy to [Assignment: organization-defined roles]; and',
        'b. Review it [Selection (one or more): yearly; after [Assignment: organization-defined events]].',
      ].join('\n'),
    );
    expect(byId.get('ac-2')?.statement).toBe('Review accounts monthly.');
    expect(byId.get('ac-1')?.guidance).toBe('Policies matter.');
    expect(byId.get('ac-2.2')?.statement).toBe('');
  });

  it('lets an organization supply its own parameter values', () => {
    const mine = flattenCatalog(smallCatalog(), { paramValues: { 'ac-1_prm_2': ['every spring'] } });
    expect(mine[0].statement).toContain('Review it every spring.');
  });

  it('survives unknown and self-referencing parameters', () => {
    const params = collectParams(smallCatalog());
    expect(insertParams('x {{ insert: param, nope }}', params)).toBe('x [Assignment: nope]');
    params.set('loop', { id: 'loop', label: 'loop', select: { choice: ['{{ insert: param, loop }}'] } });
    expect(insertParams('{{ insert: param, loop }}', params)).toBe('[Selection: [Assignment: loop]]');
  });
});
