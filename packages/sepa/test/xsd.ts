import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The ISO/EPC schema of a pain.001 version (fixtures/xsd, see SOURCE.md there). */
export const xsdOf = (version: string) => join(import.meta.dirname, 'fixtures', 'xsd', `${version}.xsd`);

/** `xmllint --noout --schema` (Debian libxml2-utils): '' when valid, else xmllint's complaints. */
export function xmllintErrors(xml: string, version: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'pain-')), 'file.xml');
  writeFileSync(file, xml);
  try {
    execFileSync('xmllint', ['--noout', '--schema', xsdOf(version), file], { stdio: 'pipe' });
    return '';
  } catch (err) {
    return String((err as { stderr?: Buffer }).stderr ?? err);
  }
}
