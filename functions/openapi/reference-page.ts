import { cspHash } from '../render/csp-hash';
import { OPENAPI_PATH } from './reference-endpoints';
import type { SwaggerUiAssets } from './swagger-ui-assets';

/**
 * GET /api/docs: the OpenAPI document rendered by Swagger UI in one self-contained page. Everything it
 * runs is inline, so it needs nothing but this origin (no CDN, works offline), and its
 * Content-Security-Policy allows exactly those inline blocks by hash: the page is the same for every
 * request, so the hashes are constants of a deployment, which CloudFront's response-headers policy for
 * this path carries too (infra/constructs/site-distribution.ts).
 */

/** Relative to /api/docs, so the page works under any origin: the site, the API's own URL, the local stack. */
const DOCUMENT_URL = OPENAPI_PATH.slice(OPENAPI_PATH.lastIndexOf('/') + 1);

const INIT_SCRIPT = `window.ui = SwaggerUIBundle(${JSON.stringify({
  url: DOCUMENT_URL,
  dom_id: '#reference',
  // Swagger's online validator badge would send the document to a third party.
  validatorUrl: null,
  deepLinking: true,
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
})});`;

const PAGE_STYLE = 'body{margin:0}';

export interface ReferencePage {
  readonly html: string;
  readonly contentSecurityPolicy: string;
}

function refuseBreakout(what: string, text: string, closingTag: string): string {
  if (text.toLowerCase().includes(closingTag))
    throw new Error(`${what} contains ${closingTag}: it cannot be inlined`);
  return text;
}

/**
 * HTML forbids control characters and noncharacters in a document, even inside <script> (the Nu checker
 * reports each one as an error): Swagger UI's bundle carries three raw (BEL, ESC, NEL), all inside
 * string literals, where a \u{…} escape is the same character to JavaScript. Forbidden: control
 * characters other than HTML's whitespace, and noncharacters.
 */
const FORBIDDEN_CODE_POINTS = /[^\P{Cc}\t\n\f\r]|\p{Noncharacter_Code_Point}/gu;

function escapeForbiddenCodePoints(script: string): string {
  return script.replace(FORBIDDEN_CODE_POINTS, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`);
}

export function renderReferencePage(assets: SwaggerUiAssets): ReferencePage {
  const script = escapeForbiddenCodePoints(refuseBreakout("Swagger UI's bundle", assets.script, '</script'));
  const stylesheet = refuseBreakout("Swagger UI's stylesheet", assets.stylesheet, '</style');
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src ${cspHash(script)} ${cspHash(INIT_SCRIPT)}`,
    `style-src ${cspHash(stylesheet)} ${cspHash(PAGE_STYLE)}`,
    // Swagger UI's icons are data: URLs; `data:` is also the empty favicon.
    "img-src 'self' data:",
    // The document, and "Try it out" calls to this same API.
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    // Unlike the site's pages, no `require-trusted-types-for 'script'`: Swagger UI writes its Markdown
    // descriptions (this document's own text) with innerHTML, which that directive blocks.
  ].join('; ');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Flash News API reference</title>
<link rel="icon" href="data:,">
<style>${stylesheet}</style>
<style>${PAGE_STYLE}</style>
</head>
<body>
<div id="reference"></div>
<script>${script}</script>
<script>${INIT_SCRIPT}</script>
</body>
</html>
`;
  return { html, contentSecurityPolicy };
}
