import { register } from 'tsx/esm/api';
register();
const t = performance.now();
await import(process.argv[2]);
console.error('import ms', (performance.now() - t).toFixed(0));
