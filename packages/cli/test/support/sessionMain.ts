import { readFileSync, writeFileSync } from 'node:fs';
import { maskProcessOutput } from '@bijstand/platform';
import { buildProgram } from '../../src/program.js';

/*
 * The entry of runCliSession (session.ts): runs several CLI command lines one after the other in this one
 * node process, through the CLI's own program and with its output masking, and writes each one's stdout,
 * stderr and exit code to a JSON file. Starting the CLI (node, tsx, every module) costs seconds per
 * process; a test that runs a dozen commands for their output pays it once.
 * Usage: node --import tsx sessionMain.ts <invocations.json> <results.json>
 */
interface Invocation {
  args: string[];
  env?: Record<string, string>;
}

const [input, output] = process.argv.slice(2) as [string, string];
const invocations = JSON.parse(readFileSync(input, 'utf8')) as Invocation[];

let stdout = '';
let stderr = '';
const capture =
  (append: (text: string) => void) =>
  (chunk: unknown, ...rest: unknown[]): boolean => {
    append(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    if (callback) process.nextTick(callback);
    return true;
  };
process.stdout.write = capture((t) => (stdout += t)) as typeof process.stdout.write;
process.stderr.write = capture((t) => (stderr += t)) as typeof process.stderr.write;
// As main.ts does, on top of the capture: what is captured is what a user would have seen.
maskProcessOutput();

const results: Array<{ code: number | null; stdout: string; stderr: string }> = [];
for (const { args, env = {} } of invocations) {
  stdout = stderr = '';
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  process.exitCode = undefined;
  let code: number | null;
  try {
    await buildProgram().parseAsync(args, { from: 'user' });
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    // main.ts maps errors to exit codes 1 to 3; a session is for commands that succeed: any error fails the test.
    stderr += `error: ${err instanceof Error ? err.message : String(err)}\n`;
    code = null;
  }
  for (const [k, v] of Object.entries(saved))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  results.push({ code, stdout, stderr });
}
process.exitCode = 0;
writeFileSync(output, JSON.stringify(results));
