/**
 * The rule for an article image's stored size, apart from the request schemas so that code which only
 * applies it (the article service, in every API function) carries no zod.
 */

/** Larger than any photo a page shows; a bigger number is a typo, not an image. */
export const MAX_IMAGE_DIMENSION = 10_000;

export interface ImageFields {
  readonly imageUrl?: string | null;
  readonly imageWidth?: number | null;
  readonly imageHeight?: number | null;
}

/**
 * What is wrong with an image's size, if anything: width and height come together (one alone says
 * nothing of the shape), and only with the image they describe. Checked on the article as it would be
 * stored, so create and update (with its stored values) share the rule.
 */
export function imageSizeProblem(
  value: ImageFields,
): { readonly field: 'imageWidth' | 'imageHeight'; readonly message: string } | undefined {
  const hasWidth = value.imageWidth !== undefined && value.imageWidth !== null;
  const hasHeight = value.imageHeight !== undefined && value.imageHeight !== null;
  if (hasWidth !== hasHeight) {
    return hasWidth
      ? { field: 'imageHeight', message: 'imageHeight is required with imageWidth' }
      : { field: 'imageWidth', message: 'imageWidth is required with imageHeight' };
  }
  if (hasWidth && !value.imageUrl) {
    return { field: 'imageWidth', message: 'imageWidth and imageHeight need an imageUrl' };
  }
  return undefined;
}
