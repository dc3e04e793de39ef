// A module of its own: parameters.ts (a row's legal basis) and trace.ts (a step's, and the parameters a
// trace used) both need it, and would otherwise import each other.

/**
 * A structured legal reference (SPEC §9): the law with its BWB id, article, paragraph (lid) and point
 * (onderdeel); `measure` names the measure of the programme plan (seed 001, Bijlage I) where the
 * article does not say it all, and `label` is the text a person reads.
 */
export interface LegalReference {
  law: string;
  bwbId?: string;
  article: string;
  paragraph?: string;
  point?: string;
  measure?: string;
  label: string;
}
