/**
 * Escaping by construction: every interpolation into the `html` template is escaped unless it is already
 * a `SafeHtml` (the output of another `html` template, the Markdown renderer, or a reviewed constant).
 * There is one escape function; nothing else in the renderer writes untrusted text into markup.
 */

export class SafeHtml {
  readonly #markup: string;

  constructor(markup: string) {
    this.#markup = markup;
  }

  toString(): string {
    return this.#markup;
  }
}

/** Falsy values render as nothing, so optional parts can be written `${cond && html`...`}`. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;

/** Safe in text and in quoted attribute values alike, which is why quotes are escaped too. */
export function escapeHtml(text: string): string {
  // Most values (paths, names, dates) have nothing to escape; a test is far cheaper than a replace.
  return SPECIAL.test(text) ? text.replace(SPECIALS, (character) => ESCAPES[character] ?? character) : text;
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false || value === true) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  // Stryker disable next-line StringLiteral: a template always has a first string
  let markup = strings[0] ?? '';
  // Stryker disable next-line EqualityOperator: one more round adds render(undefined) and no string: nothing
  for (let index = 0; index < values.length; index += 1) {
    // Stryker disable next-line StringLiteral: a template has a string after each value
    markup += render(values[index]) + (strings[index + 1] ?? '');
  }
  return new SafeHtml(markup);
}

/** For markup produced by a trusted generator (the Markdown renderer, reviewed constants) only. */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
