/**
 * Replay from the store: a household's events, the recorded nights and the rules versions they ran
 * under, re-run by the domain's replay (replay, what-if); and the household's case file as it stood.
 * Used by the CLI (replay, letter) and the workplace. Reads the store; writes nothing.
 */
export * from './caseFile.js';
export * from './replay.js';
export * from './whatIfText.js';
export * from './whatIfFacts.js';
export * from './residentLetterOf.js';
export * from './objectionReportOf.js';
export * from './paymentSpecOf.js';
