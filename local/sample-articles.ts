import type { CreateArticleInput } from '../functions/domain/article-input';

/**
 * Sample articles for a fresh local stack, written for this project, so the site has something to show
 * on first start. They are ordinary articles: edit or delete them through the API.
 */
export const SAMPLE_ARTICLES: readonly CreateArticleInput[] = [
  {
    title: 'Coastal towns test floating barriers ahead of winter storms',
    section: 'bota',
    summary:
      'Three harbours along the Adriatic are trialling inflatable flood barriers that rise in minutes.',
    author: 'Flash News desk',
    source: 'REL',
    tags: ['climate', 'infrastructure', 'Adriatic'],
    status: 'published',
    body: [
      'Harbour authorities in three Adriatic towns began trials this week of inflatable barriers that can be',
      'raised across a harbour mouth in under ten minutes when a storm surge is forecast.',
      '',
      'The barriers lie flat on the seabed for most of the year. When sensors offshore report a rising swell,',
      'compressors fill them with air and they lift into a wall about two metres high.',
      '',
      '"We cannot build concrete walls across every harbour, and we would not want to," said the engineer',
      'leading the project. "This lets the sea in when it is calm and keeps it out when it is not."',
      '',
      'The trial runs until March, after which the towns will decide whether to make the barriers permanent.',
    ].join('\n'),
  },
  {
    title: 'City library opens a repair café for broken laptops and phones',
    section: 'technology',
    summary: 'Volunteers fix devices for free every Saturday, and teach owners how to do it themselves.',
    author: 'Ana Krasniqi',
    tags: ['repair', 'libraries', 'electronics'],
    status: 'published',
    body: [
      'Every Saturday morning the reading room on the second floor turns into a workshop. Volunteers with',
      'soldering irons and screwdrivers fix laptops, phones and radios that would otherwise be thrown away.',
      '',
      'The rule is simple: **owners stay and watch**. Most leave knowing how to replace a battery or a cracked',
      'screen themselves.',
      '',
      'In its first month the café repaired 214 devices. The most common fault was a worn charging port.',
    ].join('\n'),
  },
  {
    title: 'Underdogs reach the basketball cup final after a last-second three',
    section: 'sport',
    summary: 'A buzzer-beater from the corner sent the smallest club in the league to its first final.',
    author: 'Sports desk',
    tags: ['basketball', 'cup'],
    status: 'published',
    body: [
      'With two seconds left and the score tied, the ball reached the corner and the shot dropped as the',
      'buzzer sounded. The arena, built for three thousand, held nearly four.',
      '',
      'The club, founded twelve years ago by a group of school teachers, has never before reached a final.',
      'It will play the defending champions next Sunday.',
    ].join('\n'),
  },
  {
    title: 'Old cinema reopens as a home for independent film',
    section: 'culture',
    summary:
      'After fifteen years behind boarded windows, the art deco cinema on the river is showing films again.',
    author: 'Culture desk',
    source: 'REL',
    tags: ['film', 'architecture'],
    status: 'published',
    body: [
      'The art deco cinema by the river closed in 2011. A cooperative of film-makers bought it two years ago',
      'and restored the hall, keeping the original seats and the painted ceiling.',
      '',
      'The first programme mixes restored classics with short films by local directors. Tickets are sold',
      'on a pay-what-you-can basis on Mondays.',
    ].join('\n'),
  },
  {
    title: 'Draft: budget talks continue into the night',
    section: 'politics',
    summary: 'A draft article: editors can see it through the API, readers cannot.',
    author: 'Politics desk',
    status: 'draft',
    body: 'Negotiators are still meeting. This draft is a placeholder until the talks end.',
  },
];
