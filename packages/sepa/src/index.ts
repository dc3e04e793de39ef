export * from './account.js';
export * from './bankOutcomes.js';
export * from './charset.js';
export * from './endToEnd.js';
export * from './iban.js';
export * from './pain001.js';
export * from './reasonCodes.js';
