/**
 * The documents people read, pure: a household's events in, a case file out; a case file in, an
 * objection file or a resident's letter out (Markdown or HTML). Writing them to disk (PDF through
 * chromium) is `@bijstand/documents/output`, so that this entry point does no I/O. The plain text the CLI
 * prints (tables, views, summaries) is in terminal/: data in, text out; the CLI only writes it.
 */
export * from './alertText.js';
export * from './caseFile.js';
export * from './contact.js';
export * from './dutch.js';
export * from './explain.js';
export * from './markup.js';
export * from './monthDecision.js';
export * from './monthSummary.js';
export * from './objectionMonth.js';
export * from './objectionReport.js';
export * from './objectionWhatIf.js';
export * from './paymentSpec.js';
export * from './readability.js';
export * from './reference.js';
export * from './residentLetter.js';
export * from './letterHtml.js';
export * from './rulesChange.js';
export * from './terminal/alertsTable.js';
export * from './terminal/backofficeView.js';
export * from './terminal/bufferTotals.js';
export * from './terminal/counted.js';
export * from './terminal/demoNextSteps.js';
export * from './terminal/demoReport.js';
export * from './terminal/householdView.js';
export * from './terminal/ingestLines.js';
export * from './terminal/storeCopyLines.js';
export * from './terminal/nightView.js';
export * from './terminal/parkedView.js';
export * from './terminal/replayView.js';
