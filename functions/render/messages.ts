import { isSupportedLanguage, primaryLanguage, type SupportedLanguage } from '../domain/language';

/**
 * Every word of page chrome readers see, one catalogue per language: a page, feed or edge answer never
 * spells a label itself, it asks the catalogue of its language. A language is supported when it has a
 * catalogue here (functions/domain/language.ts lists them); an article or a newsroom in any other language
 * is refused where it is written (the API, the newsroom file), so no page mixes a language tag with
 * another language's labels.
 *
 * Functions take what varies (a name, a date) and place it where the language wants it.
 */
export interface Messages {
  // The document
  readonly skipToContent: string;
  readonly sectionsNavigation: string;
  readonly feedsAndSitemap: {
    readonly rss: string;
    readonly jsonFeed: string;
    readonly sitemap: string;
  };
  readonly latestNews: string;

  // The article page
  readonly byline: (author: string) => string;
  readonly published: string;
  readonly updated: string;
  /** Heard before an agency credit printed as "/ REL". */
  readonly source: string;
  readonly correction: string;
  readonly corrections: string;
  readonly tags: string;
  /** The credit under a photo: "Photo: Reuters". */
  readonly photoCredit: (credit: string) => string;

  // Home and section pages
  readonly homeTitle: (newsroom: string) => string;
  readonly noNewsYet: string;
  readonly noNewsInSection: string;
  readonly topStories: string;
  readonly moreIn: (section: string) => string;
  readonly menu: string;

  // Tag pages
  readonly tagTitle: (tag: string) => string;
  readonly tagDescription: (tag: string, newsroom: string) => string;
  readonly noNewsWithTag: string;

  // Not found, moved and gone
  readonly notFoundTitle: string;
  readonly notFoundText: string;
  readonly goHome: (newsroom: string) => string;
  readonly notFoundDescription: (newsroom: string) => string;
  readonly movedTitle: string;
  readonly movedLink: string;
  /** The `<title>` of a redirect page: the story's title, marked as moved. */
  readonly movedDocumentTitle: (title: string | undefined) => string;
  readonly movedDescription: (url: string) => string;
  readonly goneTitle: string;
  readonly goneHeading: string;
  readonly goneText: string;
  readonly goneLink: string;
}

const en: Messages = {
  skipToContent: 'Skip to content',
  sectionsNavigation: 'Sections',
  feedsAndSitemap: { rss: 'RSS feed', jsonFeed: 'JSON Feed', sitemap: 'Sitemap' },
  latestNews: 'Latest news',

  byline: (author) => `By ${author}`,
  published: 'Published',
  updated: 'Updated',
  source: 'Source:',
  correction: 'Correction',
  corrections: 'Corrections',
  tags: 'Tags',
  photoCredit: (credit) => `Photo: ${credit}`,

  homeTitle: (newsroom) => `${newsroom}: latest news`,
  noNewsYet: 'No news has been published yet.',
  noNewsInSection: 'No news in this section yet.',
  topStories: 'Top stories',
  moreIn: (section) => `More in ${section}`,
  menu: 'Menu',

  tagTitle: (tag) => `Tag: ${tag}`,
  tagDescription: (tag, newsroom) => `The latest stories tagged ${tag} on ${newsroom}.`,
  noNewsWithTag: 'No story carries this tag yet.',

  notFoundTitle: 'Page not found',
  notFoundText: 'There is no page at this address. The story may have been moved or removed.',
  goHome: (newsroom) => `Go to the ${newsroom} home page`,
  notFoundDescription: (newsroom) => `There is no page at this address on ${newsroom}.`,
  movedTitle: 'This story has moved',
  movedLink: 'Continue to the story',
  movedDocumentTitle: (title) => (title ? `${title} (moved)` : 'Moved'),
  movedDescription: (url) => `This story has moved to ${url}`,
  goneTitle: 'Gone',
  goneHeading: 'This story is no longer available',
  goneText: 'It was withdrawn by the newsroom.',
  goneLink: 'Read the latest news',
};

const sq: Messages = {
  skipToContent: 'Kalo te përmbajtja',
  sectionsNavigation: 'Rubrikat',
  feedsAndSitemap: { rss: 'RSS', jsonFeed: 'JSON Feed', sitemap: 'Harta e faqes' },
  latestNews: 'Lajmet e fundit',

  byline: (author) => `Nga ${author}`,
  published: 'Publikuar',
  updated: 'Përditësuar',
  source: 'Burimi:',
  correction: 'Korrigjim',
  corrections: 'Korrigjime',
  tags: 'Etiketa',
  photoCredit: (credit) => `Foto: ${credit}`,

  homeTitle: (newsroom) => `${newsroom}: lajmet e fundit`,
  noNewsYet: 'Ende nuk është publikuar asnjë lajm.',
  noNewsInSection: 'Ende nuk ka lajme në këtë rubrikë.',
  topStories: 'Lajmet kryesore',
  moreIn: (section) => `Më shumë nga ${section}`,
  menu: 'Menyja',

  tagTitle: (tag) => `Etiketa: ${tag}`,
  tagDescription: (tag, newsroom) => `Lajmet më të reja me etiketën ${tag} në ${newsroom}.`,
  noNewsWithTag: 'Ende asnjë lajm nuk e mban këtë etiketë.',

  notFoundTitle: 'Faqja nuk u gjet',
  notFoundText: 'Në këtë adresë nuk ka asnjë faqe. Lajmi mund të jetë zhvendosur ose hequr.',
  goHome: (newsroom) => `Shko te faqja kryesore e ${newsroom}`,
  notFoundDescription: (newsroom) => `Në këtë adresë nuk ka asnjë faqe të ${newsroom}.`,
  movedTitle: 'Ky lajm është zhvendosur',
  movedLink: 'Vazhdo te lajmi',
  movedDocumentTitle: (title) => (title ? `${title} (zhvendosur)` : 'Zhvendosur'),
  movedDescription: (url) => `Ky lajm është zhvendosur te ${url}`,
  goneTitle: 'Hequr',
  goneHeading: 'Ky lajm nuk është më i disponueshëm',
  goneText: 'Redaksia e ka tërhequr.',
  goneLink: 'Lexo lajmet e fundit',
};

/** The catalogues by primary language subtag (`sq` serves `sq-AL` and `sq-XK` alike): one for each. */
const CATALOGUES: Readonly<Record<SupportedLanguage, Messages>> = { en, sq };

/**
 * The catalogue of a language. Every stored language was checked against SUPPORTED_LANGUAGES when it was
 * written; English answers for anything else, so a page always renders.
 */
export function messagesFor(language: string): Messages {
  const primary = primaryLanguage(language);
  return isSupportedLanguage(primary) ? CATALOGUES[primary as SupportedLanguage] : en;
}
