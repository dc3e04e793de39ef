import { escapeHtml } from '@bijstand/documents';

/** HTML that is already safe (built by `html` or from escaped parts). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = SafeHtml | string | number | null | undefined | false | readonly Part[];

const render = (p: Part): string =>
  p === null || p === undefined || p === false
    ? ''
    : p instanceof SafeHtml
      ? p.value
      : Array.isArray(p)
        ? p.map(render).join('')
        : escapeHtml(String(p));

/** A tagged template that escapes every interpolated value unless it is SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((v, i) => (out += render(v) + strings[i + 1]!));
  return new SafeHtml(out);
}

export const raw = (trusted: string): SafeHtml => new SafeHtml(trusted);
