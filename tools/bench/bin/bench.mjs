// The bench's entry: registers tsx (resolved from this file, so it runs from any directory) and runs the
// TypeScript sources in this node process.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
