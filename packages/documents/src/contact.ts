/** Who a document is from: the municipality's name (the workplace's objection file carries it). */
export interface LetterContact {
  municipality: string;
}

/** The name documents carry: the configured municipality, or a note that none is configured. */
export const municipalityName = (configured: boolean, name: string): string =>
  configured ? name : 'niet ingesteld (MUNICIPALITY_CONFIG)';
