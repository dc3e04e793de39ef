/** A BSN as people may see it: its last four digits only (`*****1234`), as the backoffice knows it. */
export function maskBsn(bsn: string): string {
  return `*****${bsn.slice(-4)}`;
}
