import { createRequire } from 'node:module';
import type { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { describeZodError, moneyString, type Validation } from '@bijstand/domain';

/** What the bank said about one transfer: refused before execution (pain.002) or returned after it (camt.054). */
export interface BankOutcome {
  kind: 'rejected' | 'returned';
  endToEndId: string;
  reasonCode: string;
  /** The amount returned (camt.054); absent in a pain.002. */
  amount?: string;
}

export interface BankFile {
  format: 'pain.002' | 'camt.054';
  /** The bank's message id (GrpHdr/MsgId): identifies the file, so importing it twice changes nothing. */
  messageId: string;
  outcomes: BankOutcome[];
}

const outcomeSchema = z
  .object({
    kind: z.enum(['rejected', 'returned']),
    endToEndId: z.string().min(1, 'is missing').max(35, 'at most 35 characters (Max35Text)'),
    reasonCode: z.string().regex(/^[A-Z0-9]{4}$/, 'must be a 4-character ISO 20022 reason code'),
    amount: moneyString.optional(),
  })
  .strict();

const bankFileSchema = z.object({
  format: z.enum(['pain.002', 'camt.054']),
  messageId: z.string().min(1, 'is missing (GrpHdr/MsgId)').max(35),
  outcomes: z.array(outcomeSchema),
});

type Node = Record<string, unknown>;
const REPEATED = new Set(['OrgnlPmtInfAndSts', 'TxInfAndSts', 'StsRsnInf', 'Ntfctn', 'Ntry', 'NtryDtls', 'TxDtls']);
/** Made by the first bank file read (fast-xml-parser's one-file CommonJS build): importers of sepa never load it. */
let xmlParser: XMLParser | undefined;
function parser(): XMLParser {
  if (xmlParser) return xmlParser;
  const { XMLParser } = createRequire(import.meta.url)('fast-xml-parser') as typeof import('fast-xml-parser');
  return (xmlParser = new XMLParser({
    removeNSPrefix: true,
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    textNodeName: '#text',
    parseTagValue: false,
    isArray: (name: string) => REPEATED.has(name),
  }));
}

const node = (v: unknown): Node => (v && typeof v === 'object' ? (v as Node) : {});
const list = (v: unknown): Node[] => (Array.isArray(v) ? v.map(node) : v === undefined ? [] : [node(v)]);
const text = (v: unknown): string =>
  typeof v === 'string' ? v.trim() : v && typeof v === 'object' ? text((v as Node)['#text']) : '';
const path = (v: unknown, ...names: string[]): unknown => names.reduce<unknown>((at, n) => node(at)[n], v);

/** The first reason code of a status or return (StsRsnInf/Rsn/Cd, RtrInf/Rsn/Cd). */
const reasonOf = (reasons: Node[]): string => text(path(reasons[0], 'Rsn', 'Cd'));

function pain002(doc: Node): Omit<BankFile, 'format'> {
  const outcomes: BankOutcome[] = [];
  for (const payment of list(doc['OrgnlPmtInfAndSts']))
    for (const tx of list(payment['TxInfAndSts'])) {
      if (text(tx['TxSts']) !== 'RJCT') continue;
      outcomes.push({
        kind: 'rejected',
        endToEndId: text(tx['OrgnlEndToEndId']),
        reasonCode: reasonOf(list(tx['StsRsnInf'])),
      });
    }
  return { messageId: text(path(doc, 'GrpHdr', 'MsgId')), outcomes };
}

function camt054(doc: Node): Omit<BankFile, 'format'> {
  const outcomes: BankOutcome[] = [];
  for (const notification of list(doc['Ntfctn']))
    for (const entry of list(notification['Ntry']))
      for (const details of list(entry['NtryDtls']))
        for (const tx of list(details['TxDtls'])) {
          const ret = tx['RtrInf'];
          if (ret === undefined) continue; // an ordinary booking, not a return
          const amount = text(path(tx, 'AmtDtls', 'InstdAmt', 'Amt')) || text(tx['Amt']) || text(entry['Amt']);
          outcomes.push({
            kind: 'returned',
            endToEndId: text(path(tx, 'Refs', 'EndToEndId')),
            reasonCode: text(path(ret, 'Rsn', 'Cd')),
            ...(amount ? { amount: amount.includes('.') ? amount : `${amount}.00` } : {}),
          });
        }
  return { messageId: text(path(doc, 'GrpHdr', 'MsgId')), outcomes };
}

/**
 * A bank's outcome file: a payment status report (pain.002, its rejected transactions) or a debit/credit
 * notification (camt.054, its returned transfers). Anything else, or a field out of shape, is a reason
 * naming the field; never an exception.
 */
export function parseBankFile(xml: string): Validation<BankFile> {
  let root: Node;
  try {
    root = node(parser().parse(xml, true));
  } catch (err) {
    return { ok: false, reason: `file: not well-formed XML (${(err as Error).message.split('\n')[0]})` };
  }
  const document = node(root['Document']);
  let raw: BankFile;
  if (document['CstmrPmtStsRpt'] !== undefined)
    raw = { format: 'pain.002', ...pain002(node(document['CstmrPmtStsRpt'])) };
  else if (document['BkToCstmrDbtCdtNtfctn'] !== undefined)
    raw = { format: 'camt.054', ...camt054(node(document['BkToCstmrDbtCdtNtfctn'])) };
  else
    return {
      ok: false,
      reason:
        'Document: neither a pain.002 payment status report (CstmrPmtStsRpt) ' +
        'nor a camt.054 notification (BkToCstmrDbtCdtNtfctn)',
    };
  const parsed = bankFileSchema.safeParse(raw);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: describeZodError(parsed.error) };
}
