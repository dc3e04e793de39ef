import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validate } from '@bijstand/domain';
import {
  checkIban,
  composeIban,
  creditTransferXml,
  endToEndId,
  InvalidTransferError,
  isSepaText,
  parseBankFile,
  paymentAccountRecordedSchema,
  reasonText,
} from '../src/index.js';
import { sampleFile } from './sampleFile.js';

const bank = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'bank', name), 'utf8');

describe('IBAN check (ibantools: structure, check digits, SEPA country)', () => {
  it('accepts a valid Dutch IBAN, with spaces, and gives it without', () => {
    expect(checkIban('NL91 ABNA 0417 1643 00')).toEqual({ ok: true, iban: 'NL91ABNA0417164300' });
  });
  it('refuses wrong check digits or length, a non-IBAN, a country outside SEPA; never echoes the IBAN', () => {
    expect(checkIban('NL92ABNA0417164300')).toEqual({ ok: false, reason: 'check digits are wrong (ISO 13616 mod 97)' });
    expect(checkIban('NL91ABNA04171643')).toEqual({ ok: false, reason: 'has the wrong length for country NL' });
    expect(checkIban('12345')).toMatchObject({ ok: false, reason: expect.stringContaining('is not an IBAN') });
    const brazil = composeIbanOutsideSepa();
    expect(checkIban(brazil)).toEqual({
      ok: false,
      reason: 'country BR is not in the SEPA scheme (a SEPA transfer cannot reach it)',
    });
  });
  it('composes test accounts with valid check digits', () => {
    expect(composeIban('NL', 'INGB0001234567')).toBe('NL20INGB0001234567');
    expect(() => composeIban('NL', 'INGB12')).toThrow();
  });
});

function composeIbanOutsideSepa(): string {
  // A published example of a Brazilian IBAN (valid check digits; Brazil is not in SEPA).
  return 'BR1800360305000010009795493C1';
}

describe('PaymentAccountRecorded (the case event)', () => {
  const good = {
    type: 'PaymentAccountRecorded',
    householdId: 'H-couple',
    bsn: '123456782',
    iban: 'NL91 ABNA 0417 1643 00',
    holder: "J.M. d'Ancona-Bakker",
    from: '2027-05-01',
  };
  it('is validated and the IBAN stored without spaces', () => {
    expect(validate(paymentAccountRecordedSchema, good)).toEqual({
      ok: true,
      value: { ...good, iban: 'NL91ABNA0417164300' },
    });
  });
  it('is rejected with the field and the rule: check digits, holder length and character set, date', () => {
    expect(validate(paymentAccountRecordedSchema, { ...good, iban: 'NL92ABNA0417164300' })).toEqual({
      ok: false,
      reason: 'iban: check digits are wrong (ISO 13616 mod 97) (SEPA, ISO 13616)',
    });
    expect(validate(paymentAccountRecordedSchema, { ...good, holder: 'x'.repeat(71) })).toEqual({
      ok: false,
      reason: 'holder: at most 70 characters (EPC SCT guidelines, AT-E001)',
    });
    const accented = validate(paymentAccountRecordedSchema, { ...good, holder: 'Zoë Müller' });
    expect(accented.ok ? '' : accented.reason).toMatch(/^holder: only the SEPA character set/);
    const date = validate(paymentAccountRecordedSchema, { ...good, from: '2027-02-30' });
    expect(date.ok ? '' : date.reason).toMatch(/^from: /);
  });
});

describe('SEPA texts and ids', () => {
  it('knows the SEPA character set', () => {
    expect(isSepaText("A-z 0/9 ?:().,'+")).toBe(true);
    expect(isSepaText('é')).toBe(false);
    expect(isSepaText('a&b')).toBe(false);
  });
  it('derives a deterministic end-to-end id of at most 35 characters per household, month, payee and attempt', () => {
    const id = endToEndId('H-'.padEnd(64, 'x'), '2027-05', 'partner', 2);
    expect(id).toMatch(/^B-202705-P2-[0-9a-f]{16}$/);
    expect(id.length).toBeLessThanOrEqual(35);
    expect(endToEndId('H-'.padEnd(64, 'x'), '2027-05', 'partner', 2)).toBe(id);
    expect(endToEndId('H-a', '2027-05', 'applicant', 1)).not.toBe(endToEndId('H-b', '2027-05', 'applicant', 1));
  });
  it('gives Dutch texts for the common reason codes, the code for others', () => {
    expect(reasonText('AC04')).toBe('rekening opgeheven');
    expect(reasonText('MD07')).toBe('rekeninghouder overleden');
    expect(reasonText('ZZ99')).toBe('reden ZZ99 (geen omschrijving bekend)');
  });
});

describe('pain.001 generator', () => {
  it('writes count and control sum, one transfer per line, the same bytes for the same input', () => {
    const xml = creditTransferXml(sampleFile());
    expect(xml).toContain('<NbOfTxs>2</NbOfTxs>');
    expect(xml.match(/<CtrlSum>1199\.53<\/CtrlSum>/g)).toHaveLength(2);
    expect(xml.match(/<CdtTrfTxInf>/g)).toHaveLength(2);
    expect(xml).toContain('<ReqdExctnDt><Dt>2027-05-25</Dt></ReqdExctnDt>');
    expect(creditTransferXml(sampleFile())).toBe(xml);
    const v03 = creditTransferXml(sampleFile({ version: 'pain.001.001.03' }));
    expect(v03).toContain('<ReqdExctnDt>2027-05-25</ReqdExctnDt>');
    expect(v03).toContain('<BIC>BNGHNL2G</BIC>');
  });
  it('refuses what the EPC rules forbid, naming each problem', () => {
    const bad = sampleFile({
      lines: [
        { ...sampleFile().lines[0]!, amount: '0.00' },
        { ...sampleFile().lines[1]!, creditorName: 'Zoë', creditorIban: 'NL92ABNA0417164300' },
      ],
    });
    expect(() => creditTransferXml(bad)).toThrow(InvalidTransferError);
    expect(() => creditTransferXml(bad)).toThrow(
      'lines.0.amount: EUR 0.01 to 999999999.99 with two decimals; ' +
        'lines.1.creditorName: only the SEPA character set; ' +
        'lines.1.creditorIban: not a valid SEPA IBAN',
    );
    expect(() => creditTransferXml(sampleFile({ lines: [] }))).toThrow('lines: a file holds at least one transfer');
  });
});

describe('bank outcome files', () => {
  it('reads the rejected transactions of a pain.002 (accepted ones are no outcome)', () => {
    expect(parseBankFile(bank('pain.002-rejections.xml'))).toEqual({
      ok: true,
      value: {
        format: 'pain.002',
        messageId: 'STS-20270526-0001',
        outcomes: [{ kind: 'rejected', endToEndId: 'B-202705-A1-31983c55065ac7b5', reasonCode: 'AC04' }],
      },
    });
  });
  it('reads the returned transfers of a camt.054 (an ordinary booking is none)', () => {
    expect(parseBankFile(bank('camt.054-return.xml'))).toEqual({
      ok: true,
      value: {
        format: 'camt.054',
        messageId: 'NTF-20270528-0042',
        outcomes: [
          { kind: 'returned', endToEndId: 'B-202705-A1-31983c55065ac7b5', reasonCode: 'MD07', amount: '215.59' },
        ],
      },
    });
  });
  it('refuses other files with a reason naming the field, never a crash', () => {
    expect(parseBankFile('<Document><Other/></Document>')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^Document: neither a pain.002/),
    });
    expect(parseBankFile('<Document><CstmrPmtStsRpt>')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^file: not well-formed XML/),
    });
    const noCode = bank('pain.002-rejections.xml').replace('<StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf>', '');
    expect(parseBankFile(noCode)).toEqual({
      ok: false,
      reason: 'outcomes.0.reasonCode: must be a 4-character ISO 20022 reason code',
    });
  });
});
