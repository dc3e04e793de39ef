import { describe, expect, it } from 'vitest';
import { creditTransferXml, PAIN_VERSIONS } from '../src/index.js';
import { sampleFile } from './sampleFile.js';
import { xmllintErrors } from './xsd.js';

describe('pain.001 against the official schemas (xmllint)', () => {
  for (const version of PAIN_VERSIONS)
    it(`${version} validates`, () => {
      expect(xmllintErrors(creditTransferXml(sampleFile({ version })), version)).toBe('');
    });

  it('the EPC .09 schema is strict: a file with an amount of 0.00 is invalid (so the check is real)', () => {
    const xml = creditTransferXml(sampleFile()).replace('>0.01<', '>0.00<');
    expect(xmllintErrors(xml, 'pain.001.001.09')).toMatch(/InstdAmt.*minInclusive|fails to validate/s);
  });
});
