import { describe, expect, it } from 'vitest';
import {
  hasDeterministicId,
  isStixId,
  isStixType,
  newId,
  SCO_ID_NAMESPACE,
  scoId,
  scoIdContributions,
  typeOfId,
  uuidOfId,
  uuidVersion,
} from './ids.js';

describe('isStixId / typeOfId', () => {
  it('accepts well-formed ids of any UUID version', () => {
    expect(isStixId('indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toBe(true);
    expect(isStixId('ipv4-addr--2b3e2c17-3144-5591-9c88-a605220f8c0c')).toBe(true);
    expect(isStixId('x-mitre-tactic--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toBe(true);
    // RFC 4122 readers accept upper-case hex digits.
    expect(isStixId('indicator--8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F', 'indicator')).toBe(true);
    expect(typeOfId('x-mitre-tactic--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toBe('x-mitre-tactic');
    expect(uuidOfId('indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toBe(
      '8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    );
  });

  it('checks the expected type when given', () => {
    expect(isStixId('identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', 'identity')).toBe(true);
    expect(isStixId('identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', 'indicator')).toBe(false);
  });

  it.each([
    ['no separator', 'indicator8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'],
    ['single dash', 'indicator-8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'],
    ['triple dash', 'indicator---8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'],
    ['upper-case type', 'Indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'],
    ['type ending in a hyphen', 'indicator---8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3'],
    ['two-letter type', 'ab--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'],
    ['separator inside the type', 'x-a--b--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'],
    ['separator inside the uuid', 'indicator--8e2e2d2b--7d4-4cbf-938f-98ee46b3cd3f'],
    ['short uuid', 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3'],
    ['non-hex uuid', 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cdzz'],
    ['missing groups', 'indicator--8e2e2d2b17d44cbf938f98ee46b3cd3f'],
    ['trailing space', 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f '],
    ['empty', ''],
  ])('rejects %s', (_label, id) => {
    expect(isStixId(id)).toBe(false);
    expect(typeOfId(id)).toBeUndefined();
  });

  it('rejects non-strings', () => {
    expect(isStixId(42)).toBe(false);
    expect(isStixId(null)).toBe(false);
    expect(typeOfId(undefined)).toBeUndefined();
  });

  it('validates type names', () => {
    expect(isStixType('attack-pattern')).toBe(true);
    expect(isStixType('x-a')).toBe(true);
    expect(isStixType('a-')).toBe(false);
    expect(isStixType('1abc')).toBe(false);
    expect(isStixType('a--b')).toBe(false);
  });
});

describe('newId', () => {
  it('makes UUIDv4 ids of the given type', () => {
    const id = newId('indicator');
    expect(typeOfId(id)).toBe('indicator');
    expect(uuidVersion(uuidOfId(id) ?? '')).toBe(4);
    expect(newId('indicator')).not.toBe(id);
  });

  it('refuses invalid types', () => {
    expect(() => newId('Bad Type')).toThrow(TypeError);
  });
});

describe('scoId', () => {
  // Expected values are those produced by the OASIS python-stix2 library (v3), which implements section 2.9.
  it('matches reference ids', () => {
    expect(scoId({ type: 'ipv4-addr', value: '198.51.100.1' })).toBe(
      'ipv4-addr--2b3e2c17-3144-5591-9c88-a605220f8c0c',
    );
    expect(
      scoId({
        type: 'windows-registry-key',
        values: [
          { name: 'Foo', data: 'qwerty' },
          { name: 'Bar', data: '42' },
        ],
      }),
    ).toBe('windows-registry-key--36594eba-bcc7-5014-9835-0e154264e588');
    expect(
      scoId({
        type: 'file',
        name: 'example.exe',
        size: 68000,
        magic_number_hex: '50000000',
        hashes: { 'SHA-256': '841a8921140aba50671ebb0770fecc4ee308c4952cfeff8de154ab14eeef4649' },
        extensions: {
          'windows-pebinary-ext': {
            pe_type: 'exe',
            machine_hex: '014c',
            sections: [
              {
                name: '.data',
                size: 4096,
                entropy: 7.980693,
                hashes: { 'SHA-256': '6e3b6f3978e5cd96ba7abee35c24e867b7e64072e2ecb22d0ee7a6e6af6894d0' },
              },
            ],
          },
        },
      }),
    ).toBe('file--ced31cd4-bdcb-537d-aefa-92d291bfc11d');
  });

  it('is UUIDv5 in the STIX namespace and ignores non-contributing properties', () => {
    const a = scoId({ type: 'email-addr', value: 'john@example.com', display_name: 'John' });
    const b = scoId({ type: 'email-addr', value: 'john@example.com', display_name: 'Johnny' });
    expect(a).toBe(b);
    expect(uuidVersion(uuidOfId(a) ?? '')).toBe(5);
    expect(SCO_ID_NAMESPACE).toBe('00abedb4-aa42-466c-9c01-fed23315a9b7');
  });

  it('does not depend on key order (RFC 8785 canonical JSON)', () => {
    const a = scoId({ type: 'software', name: 'Word', vendor: 'Microsoft', version: '2002' });
    const b = scoId({ version: '2002', vendor: 'Microsoft', type: 'software', name: 'Word' });
    expect(a).toBe(b);
  });

  it('uses one hash, preferring MD5 over SHA-1 over SHA-256 over SHA-512', () => {
    const md5 = 'cead3f77f6cda6ec00f57d76c9a6879f';
    const sha256 = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f';
    expect(scoIdContributions({ type: 'file', hashes: { 'SHA-256': sha256, MD5: md5 } })).toEqual({
      hashes: { MD5: md5 },
    });
    expect(scoId({ type: 'file', hashes: { 'SHA-256': sha256, MD5: md5 } })).toBe(
      scoId({ type: 'file', hashes: { MD5: md5 } }),
    );
    expect(scoIdContributions({ type: 'file', hashes: { TLSH: 'x', SSDEEP: 'y' } })).toEqual({
      hashes: { TLSH: 'x' },
    });
  });

  it('falls back to UUIDv4 without contributing properties, and for process', () => {
    const msg1 = scoId({ type: 'email-message', is_multipart: false });
    const msg2 = scoId({ type: 'email-message', is_multipart: false });
    expect(msg1).not.toBe(msg2);
    expect(uuidVersion(uuidOfId(msg1) ?? '')).toBe(4);
    expect(uuidVersion(uuidOfId(scoId({ type: 'process', pid: 1 })) ?? '')).toBe(4);
  });

  it('takes custom contributing properties for custom SCO types', () => {
    const a = scoId({ type: 'x-usb-device', serial: '1', vendor: 'A' }, ['serial']);
    const b = scoId({ type: 'x-usb-device', serial: '1', vendor: 'B' }, ['serial']);
    expect(a).toBe(b);
    expect(a.startsWith('x-usb-device--')).toBe(true);
  });

  it('recognises deterministic ids', () => {
    const sco = { type: 'domain-name', value: 'example.com' };
    expect(hasDeterministicId({ ...sco, id: scoId(sco) })).toBe(true);
    expect(hasDeterministicId({ ...sco, id: 'domain-name--ecb120bf-2694-4902-a737-62b74539a41b' })).toBe(
      false,
    );
  });
});
