// Seeded synthetic data: production code (the demo) and the tests and bench (through the testkit) share one generator.
export { mulberry32, syntheticBsn } from './random.js';
export { generateHouseholds, type RawInput, type SyntheticOptions } from './households.js';
