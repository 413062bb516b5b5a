import type { OpenApiDocument } from '../../functions/openapi/types.ts';

/**
 * The Content-Security-Policy of the /docs page (every other answer keeps the API's
 * `default-src 'none'`): scripts, styles, fonts and fetches from this origin only (the page, the
 * UI's files and /openapi.json); images from this origin and `data:` URLs, which Swagger UI's
 * stylesheet uses for its icons (inline SVG, nothing fetched); no plugins, no forms, no framing.
 */
export const DOCS_CSP =
  "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Starts Swagger UI on the page, from a file: the CSP allows no inline script. */
export const DOCS_INIT_JS = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  deepLinking: true,
  docExpansion: 'list',
  validatorUrl: null,
});
`;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The /docs page: Swagger UI over /openapi.json, from the page's own origin. Until the UI has
 * drawn (or without JavaScript) the page lists every operation of the document itself.
 */
export function docsPage(doc: OpenApiDocument): string {
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(
      ([method, op]) =>
        `<li><code>${method.toUpperCase()} ${escapeHtml(path)}</code> ${escapeHtml(op.summary)} <small>(${op['x-access']})</small></li>`,
    ),
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)}</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
<link rel="stylesheet" href="/docs/index.css">
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
<link rel="icon" type="image/png" href="/docs/favicon-16x16.png" sizes="16x16">
</head>
<body>
<div id="swagger-ui">
<main id="route-list">
<h1>${escapeHtml(doc.info.title)}</h1>
<p>The OpenAPI 3.1 document: <a href="/openapi.json">/openapi.json</a>.</p>
<ul>
${operations.join('\n')}
</ul>
</main>
</div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;
}
