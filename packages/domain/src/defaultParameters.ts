import { parseParameterTables, type ParameterTables } from './parameters.js';
import { deepFreeze } from './frozen.js';
import { LegalRef } from './trace.js';

/**
 * The national parameter tables of SPEC §2 (v3), as data. New values are added as rows with their own
 * validFrom, source and legal basis; existing rows are never edited, so that replay uses what was
 * valid then.
 */
export const defaultParameterData = deepFreeze({
  norm: [
    {
      validFrom: '2026-01-01',
      couple: '2002.13',
      single: '1401.50',
      source: 'Pw art. 21; Stcrt. 2025, 43553 (normen per 1 januari 2026, verified)',
      legalBasis: LegalRef.norm,
    },
    {
      validFrom: '2026-07-01',
      couple: '2027.79',
      single: '1419.46',
      source: 'Pw art. 21; wetten.overheid.nl toestand 2026-07-01 (read through a third-party extraction; verify)',
      legalBasis: LegalRef.norm,
    },
  ],
  holidayReserveRate: [
    { validFrom: '1900-01-01', value: '0.05', source: 'Pw art. 19, derde lid', legalBasis: LegalRef.holidayReserve },
  ],
  partnerNormRate: [
    { validFrom: '1900-01-01', value: '0.50', source: 'Pw art. 24 (verified)', legalBasis: LegalRef.normOneEntitled },
    {
      validFrom: '2027-01-01',
      value: '0.70',
      source: 'PIB maatregel 6a (seed 001, Bijlage I; verify against Stb. 2025, 312)',
      legalBasis: LegalRef.normOneEntitled,
    },
  ],
  // SPEC v3 §2: art. 24a raises the couple-one-entitled norm by 1/12 of the WKB single-parent supplement
  // (replaces v2's aloNoPartnerRate 0.90 of PIB measure 6b, which the enacted text does not hold).
  aloSupplementPerYear: [
    {
      validFrom: '2027-01-01',
      value: '3416.00',
      source:
        'Pw art. 24a; Wet op het kindgebonden budget art. 2, zesde lid, as of 2026-01-01 (€ 3.416); ' +
        'the 2027 indexation (WKB art. 3) is not yet published',
      legalBasis: LegalRef.normNoAlo,
    },
  ],
  disregard: [
    {
      validFrom: '2026-01-01',
      work: { rate: '0.25', capAmount: '285.00', maxMonths: 6 },
      source: 'Pw art. 31, tweede lid, onderdeel n (verified)',
      legalBasis: LegalRef.disregardBefore2027,
    },
    {
      validFrom: '2026-07-01',
      work: { rate: '0.25', capAmount: '289.00', maxMonths: 6 },
      source: 'Pw art. 31, tweede lid, onderdeel n; bedrag per 1 juli 2026',
      legalBasis: LegalRef.disregardBefore2027,
    },
    {
      validFrom: '2027-01-01',
      work: { rate: '0.15', maxMonths: 12 },
      medical: { rate: '0.15' },
      pensionAge: { rate: '0.25', capAmount: '226.00' },
      source: 'Pw art. 34a (Stb. 2025, 312, verified)',
      legalBasis: LegalRef.disregardWork,
    },
  ],
  giftsFreePerYear: [
    {
      validFrom: '2026-01-01',
      value: '1200.00',
      source: 'Pw art. 31, tweede lid, onderdeel m (verified)',
      legalBasis: LegalRef.gifts,
    },
  ],
  wgaDeductionRate: [
    {
      validFrom: '2026-01-01',
      value: '0.0000',
      source: 'Regeling Participatiewet, IOAW en IOAZ art. 7b; to be set when published',
    },
  ],
  bufferBudget: [
    { validFrom: '2027-01-01', perYear: '1000.00', source: 'Pw art. 34b (verified)', legalBasis: LegalRef.buffer },
  ],
  holidayPayoutMonth: [
    { validFrom: '1900-01-01', value: 6, source: 'Pw art. 45, eerste lid', legalBasis: LegalRef.holidayPayout },
  ],
});

export const defaultParameters: ParameterTables = deepFreeze(parseParameterTables(defaultParameterData));

/**
 * Tables stored in the v2 shape (a RulesVersionRecorded of engine 2.x, a municipal file of then) read
 * in the v3 shape: `aloNoPartnerRate` (PIB measure 6b) is gone, and art. 24a's `aloSupplementPerYear`,
 * which no v2 table held, takes the national rows. Anything else passes unchanged.
 */
export function upcastParameterTables(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || !('aloNoPartnerRate' in raw)) return raw;
  const { aloNoPartnerRate: _gone, ...rest } = raw as Record<string, unknown>;
  if ('aloSupplementPerYear' in rest) return rest;
  return { ...rest, aloSupplementPerYear: structuredClone(defaultParameterData.aloSupplementPerYear) };
}
