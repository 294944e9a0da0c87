/**
 * The languages an article (and a newsroom) may be written in: those the page chrome has a catalogue for
 * (functions/render/messages.ts must have one for each, which its type enforces), so no page ever pairs a
 * language tag with another language's labels. Tags are BCP 47; only the primary subtag must be
 * supported, so `sq`, `sq-AL` and `sq-XK` are all Albanian.
 */
export const SUPPORTED_LANGUAGES = ['en', 'sq'] as const;
export type SupportedLanguage = (typeof SUPPORTED_LANGUAGES)[number];

/** The primary language subtag of a BCP 47 tag, lower-cased: `sq` for `sq-AL`. */
export function primaryLanguage(tag: string): string {
  return tag.toLowerCase().split('-')[0] ?? '';
}

/** The canonical form of a well-formed BCP 47 tag (`sq-al` → `sq-AL`), or undefined for anything else. */
export function canonicalLanguageTag(tag: string): string | undefined {
  try {
    const canonical = Intl.getCanonicalLocales(tag);
    return canonical.length === 1 ? canonical[0] : undefined;
  } catch {
    return undefined;
  }
}

export function isSupportedLanguage(tag: string): boolean {
  return (SUPPORTED_LANGUAGES as readonly string[]).includes(primaryLanguage(tag));
}

/** Whether two tags name the same language, whatever their regions (`sq` and `sq-AL` do). */
export function sameLanguage(a: string, b: string): boolean {
  return primaryLanguage(a) === primaryLanguage(b);
}
