import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';

/**
 * The NL Design System's CSS (Gemeente Utrecht's community components): the design tokens (`.utrecht-theme`),
 * the component classes (page header, skip link, alert, button, form field, table) and the element styles of
 * plain HTML under `.utrecht-html`, so every page's tables, forms and links look the same without classes.
 * Served from node_modules as one file: the Content-Security-Policy allows style only from 'self'.
 */
export const UTRECHT_CSS_PATH = '/assets/utrecht.css';

const require = createRequire(import.meta.url);
const FILES = [
  '@utrecht/design-tokens/dist/theme.css',
  '@utrecht/component-library-css/dist/index.css',
  '@utrecht/component-library-css/dist/html.css',
];

let css: string | undefined;
/** Read once, on the first request: the files do not change while the workplace runs. */
const utrechtCss = () => (css ??= FILES.map((f) => readFileSync(require.resolve(f), 'utf8')).join('\n'));

export function registerDesignAssets(app: FastifyInstance): void {
  app.get(UTRECHT_CSS_PATH, async (_req, reply) => reply.type('text/css; charset=utf-8').send(utrechtCss()));
}
