import type { Article, ArticleCorrection } from '../domain/article';
import { newestCorrectionsFirst } from '../domain/corrections';
import { type DateDisplay, formatDayDate, isoInstant } from './dates';
import { html, type SafeHtml } from './html';
import { messagesFor } from './messages';

/**
 * Corrections as readers see them: on the page, a marked block, newest first; in the feeds, the same
 * lines as text. The note is untrusted plain text: it goes through the `html` template's escaping and is
 * never read as Markdown.
 */

/** "Correction, 1 December 2026" in the page's language and time zone; undated if the instant is bad. */
function label(correction: ArticleCorrection, display: DateDisplay): string {
  const iso = isoInstant(correction.at);
  const word = messagesFor(display.language).correction;
  return iso === undefined ? word : `${word}, ${formatDayDate(iso, display)}`;
}

/** One correction as plain text, "Correction, 1 December 2026: …", for feed items. */
export function correctionText(correction: ArticleCorrection, display: DateDisplay): string {
  return `${label(correction, display)}: ${correction.note}`;
}

/** Every correction, newest first, as plain-text lines. */
export function correctionTexts(article: Pick<Article, 'corrections'>, display: DateDisplay): string[] {
  return newestCorrectionsFirst(article).map((correction) => correctionText(correction, display));
}

function correctionItem(correction: ArticleCorrection, display: DateDisplay): SafeHtml {
  const iso = isoInstant(correction.at);
  const word = messagesFor(display.language).correction;
  const dated =
    iso === undefined ? word : html`${word}, <time datetime="${iso}">${formatDayDate(iso, display)}</time>`;
  return html`<li><strong>${dated}:</strong> ${correction.note}</li>`;
}

/**
 * The page's corrections block: a named region with a heading, so it is in the outline and a landmark
 * that screen readers can jump to. Nothing at all for an article never corrected.
 */
export function correctionsBlock(article: Pick<Article, 'corrections'>, display: DateDisplay): SafeHtml {
  const corrections = newestCorrectionsFirst(article);
  if (corrections.length === 0) return html``;
  const messages = messagesFor(display.language);
  return html`<section class="corrections" aria-labelledby="corrections-heading">
<h2 id="corrections-heading">${corrections.length === 1 ? messages.correction : messages.corrections}</h2>
<ul>${corrections.map((correction) => correctionItem(correction, display))}</ul>
</section>`;
}
