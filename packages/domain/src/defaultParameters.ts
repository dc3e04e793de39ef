import { parseParameterTables, type ParameterTables } from './parameters.js';
import { deepFreeze } from './frozen.js';

/**
 * The national parameter tables of SPEC §2, as data. New values are added as rows with their own
 * validFrom and source; existing rows are never edited, so that replay uses what was valid then.
 */
export const defaultParameterData = deepFreeze({
  norm: [
    {
      validFrom: '2026-01-01',
      couple: '2002.13',
      single: '1401.50',
      source: 'Normenbrief 1 januari 2026 (secondary source; verify against the published Normenbrief)',
    },
  ],
  holidayReserveRate: [{ validFrom: '1900-01-01', value: '0.05', source: 'Pw art. 19, derde lid' }],
  disregard: [
    {
      validFrom: '2026-01-01',
      rate: '0.25',
      capAmount: '285.00',
      source: 'Pw art. 31, tweede lid, onderdeel n (pre-PIB); Normenbrief 2026 (secondary)',
    },
    {
      validFrom: '2027-01-01',
      rate: '0.15',
      capRate: '0.15',
      source: 'PIB maatregel 1 (seed 001, Bijlage I); seed 004',
    },
  ],
  wgaDeductionRate: [
    { validFrom: '2026-01-01', value: '0.0000', source: 'Regeling Participatiewet art. 7b; to be set when published' },
  ],
  bufferBudget: [{ validFrom: '2027-01-01', perYear: '1000.00', source: 'PIB maatregel 2 (seed 001, Bijlage I)' }],
  holidayPayoutMonth: [{ validFrom: '1900-01-01', value: 6, source: 'municipal practice (payout in May/June)' }],
});

export const defaultParameters: ParameterTables = deepFreeze(parseParameterTables(defaultParameterData));
