// The benchmark (`make bench`): a tool, not production code, so it may start the testkit's servers.
export { runBench, BenchSettingError, UnknownBenchStoreError } from './bench.js';
