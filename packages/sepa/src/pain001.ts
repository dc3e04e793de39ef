import { fmt, money, sum } from '@bijstand/domain';
import { isSepaId, isSepaText, MAX_NAME_LENGTH } from './charset.js';
import { checkIban } from './iban.js';

export type PainVersion = 'pain.001.001.09' | 'pain.001.001.03';
export const PAIN_VERSIONS: readonly PainVersion[] = ['pain.001.001.09', 'pain.001.001.03'];

export interface DebtorAccount {
  name: string;
  iban: string;
  bic: string;
}

export interface TransferLine {
  endToEndId: string;
  /** EUR, 2 decimals, 0.01–999999999.99. */
  amount: string;
  creditorName: string;
  creditorIban: string;
  /** Unstructured remittance (AT-T025, at most 140 characters), e.g. "Bijstand mei 2027". */
  remittance: string;
}

export interface CreditTransferFile {
  version: PainVersion;
  /** MsgId and PmtInfId: the batch id. */
  messageId: string;
  /** CreDtTm: the instant the batch was recorded (from its event, so a re-export is the same file). */
  createdAt: string;
  /** ReqdExctnDt: the payday. */
  executionDate: string;
  debtor: DebtorAccount;
  lines: readonly TransferLine[];
}

export class InvalidTransferError extends Error {}

const MIN_AMOUNT = money('0.01');
const MAX_AMOUNT = money('999999999.99');

/** The EPC rules the XSD cannot express (or the .03 XSD does not), checked before a file is made. */
export function transferProblems(file: CreditTransferFile): string[] {
  const problems: string[] = [];
  const name = (what: string, n: string) => {
    if (n.length < 1 || n.length > MAX_NAME_LENGTH)
      problems.push(`${what}: a name of 1 to ${MAX_NAME_LENGTH} characters`);
    if (!isSepaText(n)) problems.push(`${what}: only the SEPA character set`);
  };
  if (!isSepaId(file.messageId)) problems.push('messageId: at most 35 SEPA characters, no spaces');
  name('debtor.name', file.debtor.name);
  if (!checkIban(file.debtor.iban).ok) problems.push('debtor.iban: not a valid SEPA IBAN');
  if (!/^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(file.debtor.bic)) problems.push('debtor.bic: not a BIC');
  if (file.lines.length === 0) problems.push('lines: a file holds at least one transfer');
  const ids = new Set<string>();
  file.lines.forEach((l, i) => {
    if (!isSepaId(l.endToEndId)) problems.push(`lines.${i}.endToEndId: at most 35 SEPA characters, no spaces`);
    if (ids.has(l.endToEndId)) problems.push(`lines.${i}.endToEndId: used twice in the file`);
    ids.add(l.endToEndId);
    if (!/^\d+\.\d{2}$/.test(l.amount) || money(l.amount).lt(MIN_AMOUNT) || money(l.amount).gt(MAX_AMOUNT))
      problems.push(`lines.${i}.amount: EUR 0.01 to 999999999.99 with two decimals`);
    name(`lines.${i}.creditorName`, l.creditorName);
    if (!checkIban(l.creditorIban).ok) problems.push(`lines.${i}.creditorIban: not a valid SEPA IBAN`);
    if (l.remittance.length > 140 || !isSepaText(l.remittance))
      problems.push(`lines.${i}.remittance: at most 140 SEPA characters`);
  });
  return problems;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** CreDtTm without fractions and with its zone, as both schemas' ISODateTime accept it. */
const isoDateTime = (instant: string) => instant.replace(/\.\d+Z$/, 'Z');

/**
 * A SEPA credit transfer initiation (ISO 20022 pain.001, version .09 or .03), one payment instruction (the
 * payday, the municipality's account), one CdtTrfTxInf per payee share. The same input gives the same bytes.
 */
export function creditTransferXml(file: CreditTransferFile): string {
  const problems = transferProblems(file);
  if (problems.length > 0) throw new InvalidTransferError(problems.join('; '));
  const v09 = file.version === 'pain.001.001.09';
  const count = String(file.lines.length);
  const total = fmt(sum(file.lines.map((l) => money(l.amount))));
  const agent = v09 ? `<BICFI>${file.debtor.bic}</BICFI>` : `<BIC>${file.debtor.bic}</BIC>`;
  const date = v09 ? `<Dt>${file.executionDate}</Dt>` : file.executionDate;
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:${file.version}">`,
    '  <CstmrCdtTrfInitn>',
    '    <GrpHdr>',
    `      <MsgId>${escape(file.messageId)}</MsgId>`,
    `      <CreDtTm>${isoDateTime(file.createdAt)}</CreDtTm>`,
    `      <NbOfTxs>${count}</NbOfTxs>`,
    `      <CtrlSum>${total}</CtrlSum>`,
    `      <InitgPty><Nm>${escape(file.debtor.name)}</Nm></InitgPty>`,
    '    </GrpHdr>',
    '    <PmtInf>',
    `      <PmtInfId>${escape(file.messageId)}</PmtInfId>`,
    '      <PmtMtd>TRF</PmtMtd>',
    '      <BtchBookg>true</BtchBookg>',
    `      <NbOfTxs>${count}</NbOfTxs>`,
    `      <CtrlSum>${total}</CtrlSum>`,
    '      <PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf>',
    `      <ReqdExctnDt>${date}</ReqdExctnDt>`,
    `      <Dbtr><Nm>${escape(file.debtor.name)}</Nm></Dbtr>`,
    `      <DbtrAcct><Id><IBAN>${file.debtor.iban}</IBAN></Id></DbtrAcct>`,
    `      <DbtrAgt><FinInstnId>${agent}</FinInstnId></DbtrAgt>`,
    '      <ChrgBr>SLEV</ChrgBr>',
  ];
  for (const l of file.lines)
    out.push(
      '      <CdtTrfTxInf>',
      `        <PmtId><EndToEndId>${escape(l.endToEndId)}</EndToEndId></PmtId>`,
      `        <Amt><InstdAmt Ccy="EUR">${l.amount}</InstdAmt></Amt>`,
      `        <Cdtr><Nm>${escape(l.creditorName)}</Nm></Cdtr>`,
      `        <CdtrAcct><Id><IBAN>${l.creditorIban}</IBAN></Id></CdtrAcct>`,
      `        <RmtInf><Ustrd>${escape(l.remittance)}</Ustrd></RmtInf>`,
      '      </CdtTrfTxInf>',
    );
  out.push('    </PmtInf>', '  </CstmrCdtTrfInitn>', '</Document>', '');
  return out.join('\n');
}
