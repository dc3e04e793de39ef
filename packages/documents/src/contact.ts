import type { LetterContact } from './residentLetter.js';

/** The name documents carry: the configured municipality, or a note that none is configured. */
export const municipalityName = (configured: boolean, name: string): string =>
  configured ? name : 'niet ingesteld (MUNICIPALITY_CONFIG)';

/**
 * The municipality's contact details for letters: MUNICIPALITY_PHONE and MUNICIPALITY_OBJECTION_ADDRESS.
 * Without them the letter points to the municipality's website, and `missing` names what to set.
 */
export function letterContact(
  municipality: string,
  env: Readonly<Record<string, string | undefined>>,
): { contact: LetterContact; missing: string[] } {
  const missing = ['MUNICIPALITY_PHONE', 'MUNICIPALITY_OBJECTION_ADDRESS'].filter((k) => !env[k]);
  return {
    contact: {
      municipality,
      phone: env.MUNICIPALITY_PHONE || 'het nummer op de website van de gemeente',
      objectionAddress: env.MUNICIPALITY_OBJECTION_ADDRESS || 'het adres op de website van de gemeente',
    },
    missing,
  };
}
