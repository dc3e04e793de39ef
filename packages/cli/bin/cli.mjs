// The backoffice CLI's entry: registers tsx (its documented ESM API, resolved from this file, so the
// CLI runs from any directory) and runs the TypeScript sources in this same node process, so that
// SIGTERM and SIGINT reach the command itself.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
