/**
 * What a newsroom is: its name, logo, language, locale, time zone and sections. The shape lives here, free
 * of zod, so that modules which only read the newsroom (every function) carry no validator; the schema
 * that checks a file against it is functions/config/newsroom-schema.ts.
 */

export interface Section {
  /** URL segment and stored value, e.g. `bota` → `/bota/`. */
  readonly slug: string;
  /** Label shown to readers, in the newsroom's language. */
  readonly name: string;
  /** One sentence for the section page's meta description. */
  readonly description: string;
}

export interface NewsroomSection extends Section {
  /** Position in menus and on the home page, smallest first. */
  readonly order: number;
}

export interface NewsroomLogo {
  /** Absolute http(s) URL, or a root-relative path on the site such as `/logo.svg`. */
  readonly url: string;
  /** Intrinsic size in CSS pixels: pages reserve the space (no layout shift) and NewsArticle needs it. */
  readonly width: number;
  readonly height: number;
}

/**
 * An image service that serves the pictures of some hosts at any width (imgix, Cloudinary's fetch,
 * Thumbor, an agency's CDN): pages offer browsers the widths below in `srcset`, so a phone does not
 * download the desktop picture. Images from any other host are shown as they are.
 */
export interface ImageResizer {
  /** Host names (exact, lower case) whose image URLs the service can resize, e.g. `images.example.com`. */
  readonly hosts: readonly string[];
  /**
   * The URL of the image at a width: `{url}` is the image's URL as stored, `{width}` the width in pixels,
   * e.g. `{url}?w={width}` (imgix) or `https://res.cloudinary.com/demo/image/fetch/w_{width}/{url}`.
   */
  readonly urlTemplate: string;
  /** The widths offered, in pixels, smallest first. */
  readonly widths: readonly number[];
}

export interface NewsroomConfig {
  readonly name: string;
  readonly description: string;
  readonly logo?: NewsroomLogo;
  /** BCP 47 language of the newsroom's copy and page chrome, e.g. `sq`. */
  readonly language: string;
  /** BCP 47 locale dates and numbers are formatted in, e.g. `sq-AL`; its language is `language`. */
  readonly locale: string;
  /** IANA time zone readers see times in, e.g. `Europe/Tirane`. */
  readonly timeZone: string;
  /** In reading order (sorted by `order` when the file is read). */
  readonly sections: readonly NewsroomSection[];
  /** Which image hosts can serve smaller copies, and how; none means every image is shown as stored. */
  readonly imageResizers?: readonly ImageResizer[];
}

/**
 * The esbuild `define`s that inline a checked newsroom into a function bundle at synth: a flag esbuild
 * folds to `true`, so the branch that reads and validates a file (and zod with it) is dropped from the
 * bundle, and the newsroom itself as an object literal, parsed with the code and never at run time.
 */
export const NEWSROOM_BUNDLE_DEFINES = {
  inlined: '__NEWSROOM_INLINED__',
  config: '__NEWSROOM_CONFIG__',
} as const;

export function newsroomDefines(config: NewsroomConfig): Record<string, string> {
  return {
    [NEWSROOM_BUNDLE_DEFINES.inlined]: 'true',
    [NEWSROOM_BUNDLE_DEFINES.config]: JSON.stringify(config),
  };
}
