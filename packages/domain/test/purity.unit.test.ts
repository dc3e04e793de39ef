import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import * as domain from '../src/index.js';

/**
 * The functional core stays pure (the team's rule): no module-level mutable state, no I/O, no clock,
 * no randomness in packages/domain/src. Memos belong to the incremental layer's objects, which the
 * shell creates and passes in, never to a module.
 */
const srcDir = join(import.meta.dirname, '..', 'src');
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

const MUTABLE_CONSTRUCTORS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array', 'Object']);

/** Findings `file:line: what` for module-level state that can change. */
export function moduleLevelStateIn(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const findings: string[] = [];
  const at = (node: ts.Node, what: string) =>
    findings.push(`${relative(srcDir, file)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${what}`);
  for (const statement of sf.statements) {
    if (ts.isClassDeclaration(statement)) {
      for (const member of statement.members) {
        if (ts.isPropertyDeclaration(member) && member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword))
          at(member, 'a static class field is module-level state');
      }
    }
    if (!ts.isVariableStatement(statement)) continue;
    const flags = statement.declarationList.flags;
    if (!(flags & ts.NodeFlags.Const)) {
      at(statement, 'a module-level let/var');
      continue;
    }
    for (const d of statement.declarationList.declarations) {
      let init = d.initializer;
      while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init)))
        init = init.expression;
      if (!init) continue;
      if (
        ts.isNewExpression(init) &&
        ts.isIdentifier(init.expression) &&
        MUTABLE_CONSTRUCTORS.has(init.expression.text)
      )
        at(d, `a module-level new ${init.expression.text}`);
      if (ts.isArrayLiteralExpression(init) || ts.isObjectLiteralExpression(init))
        at(d, 'a module-level array or object literal that is not frozen (Object.freeze / deepFreeze)');
    }
  }
  return findings;
}

/** I/O, clock and randomness: a rule that reads any of these is no longer a function of its inputs. */
export function impurityIn(file: string, text: string): string[] {
  const patterns: Array<[RegExp, string]> = [
    [
      /from ['"](node:)?(fs|fs\/promises|net|http|https|child_process|os|worker_threads|process)['"]/,
      'imports an I/O module',
    ],
    [/\bDate\.now\(|\bnew Date\(\)|performance\.now\(/, 'reads the clock'],
    [/\bMath\.random\(|crypto\.random/, 'uses randomness'],
    [/\bprocess\.(env|argv|stdout|stderr|exit)/, 'reads the process environment'],
  ];
  return text
    .split('\n')
    .flatMap((line, i) =>
      patterns.filter(([re]) => re.test(line)).map(([, what]) => `${relative(srcDir, file)}:${i + 1}: ${what}`),
    );
}

describe('packages/domain is a functional core', () => {
  const files = sources(srcDir);

  it('has no module-level mutable state', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap((f) => moduleLevelStateIn(f, readFileSync(f, 'utf8')))).toEqual([]);
  });

  it('does no I/O and reads no clock, randomness or environment', () => {
    expect(files.flatMap((f) => impurityIn(f, readFileSync(f, 'utf8')))).toEqual([]);
  });

  it('the checks find what they look for (each rule on a file that breaks it)', () => {
    const bad = [
      'const memo = new Map<string, number>();',
      'let counter = 0;',
      'export const table = { a: 1 };',
      'const list: string[] = [];',
      'class C { static cache = new Map(); }',
    ].join('\n');
    expect(moduleLevelStateIn(join(srcDir, 'bad.ts'), bad)).toHaveLength(5);
    const fine =
      'const frozen = Object.freeze({ a: 1 });\nconst n = 3;\nfunction f() { const local = new Map(); let x = []; return [local, x]; }';
    expect(moduleLevelStateIn(join(srcDir, 'fine.ts'), fine)).toEqual([]);
    expect(
      impurityIn(
        join(srcDir, 'bad.ts'),
        "import { readFileSync } from 'node:fs';\nconst t = Date.now();\nconst r = Math.random();",
      ),
    ).toHaveLength(3);
  });

  it('its exported data is frozen, deeply', () => {
    const isPlain = (v: unknown) =>
      v !== null && typeof v === 'object' && (Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype);
    const notFrozen: string[] = [];
    const walk = (v: unknown, path: string) => {
      if (!isPlain(v)) return;
      if (!Object.isFrozen(v)) notFrozen.push(path);
      for (const [k, x] of Object.entries(v as object)) walk(x, `${path}.${k}`);
    };
    for (const [name, value] of Object.entries(domain)) walk(value, name);
    expect(notFrozen).toEqual([]);
    expect(Object.isFrozen(domain.defaultParameters.norm[0])).toBe(true);
  });
});
