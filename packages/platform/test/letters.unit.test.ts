import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, letterSenderOf, loadMunicipalities } from '../src/index.js';

const file = (content: unknown) => {
  const path = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'municipality.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
};
const configDir = join(import.meta.dirname, '..', '..', '..', 'infra', 'config');

describe("a municipality's letters block (the sender of its decisions)", () => {
  it('the demo configuration has every field a letter needs', () => {
    const m = loadMunicipalities(join(configDir, 'demo-municipality.json'));
    expect(letterSenderOf(m.defaultMunicipality)).toEqual({
      sender: {
        municipality: 'Voorbeeldstad (demo)',
        municipalityCode: 'GM9999',
        postalAddress: 'Postbus 100, 1000 AA Voorbeeldstad',
        phone: '14 0123',
        website: 'www.voorbeeldstad.nl',
        objectionAddress: 'Gemeente Voorbeeldstad, t.a.v. team Bezwaar, Postbus 100, 1000 AA Voorbeeldstad',
        signedBy: 'de teamleider Werk en Inkomen',
      },
    });
  });

  it('a file without it still settles, but names every field a letter lacks', () => {
    const m = loadMunicipalities(file({ municipality: 'Groningen', letters: { phone: '14 050' } }));
    expect(m.defaultMunicipality.name).toBe('Groningen');
    expect(letterSenderOf(m.defaultMunicipality)).toEqual({
      missing: [
        'letters.municipalityCode',
        'letters.postalAddress',
        'letters.website',
        'letters.objectionAddress',
        'letters.signedBy',
      ],
    });
  });

  it("in a deployment each municipality's key is its code; its letters block is its own", () => {
    const m = loadMunicipalities(
      file({
        deployment: 'Werkplein',
        defaultMunicipality: 'GM1680',
        municipalities: {
          GM1680: {
            name: 'Aa en Hunze',
            letters: {
              postalAddress: 'Postbus 93, 9460 AB Gieten',
              phone: '0592 267 777',
              website: 'www.aaenhunze.nl',
              objectionAddress: 'Postbus 93, 9460 AB Gieten',
              signedBy: 'de teamleider Inkomen',
            },
          },
          GM1730: { name: 'Tynaarlo' },
        },
      }),
    );
    const aa = letterSenderOf(m.resolve('GM1680'));
    expect('sender' in aa && aa.sender.municipalityCode).toBe('GM1680');
    expect(letterSenderOf(m.resolve('GM1730'))).toEqual({
      missing: [
        'letters.postalAddress',
        'letters.phone',
        'letters.website',
        'letters.objectionAddress',
        'letters.signedBy',
      ],
    });
  });

  it('refuses a bad letters block with the field and the rule', () => {
    expect(() => loadMunicipalities(file({ municipality: 'X', letters: { municipalityCode: '1680' } }))).toThrow(
      /letters\.municipalityCode.*CBS municipality code like GM0106/,
    );
    expect(() => loadMunicipalities(file({ municipality: 'X', letters: { fax: '1' } }))).toThrow(ConfigurationError);
  });
});
