/**
 * Where the API describes itself (both are rows of functions/http/routes.ts), in a module of its own so
 * that neither handler bundles the other's code.
 */
export const OPENAPI_PATH = '/api/openapi.json';
export const API_REFERENCE_PATH = '/api/docs';

/**
 * Both change only with a deployment: the edge keeps them five minutes (the PublicApiCache policy's cap),
 * browsers one, and both serve a stale copy while refreshing it.
 */
export const REFERENCE_CACHE_CONTROL = 'public, max-age=60, s-maxage=300, stale-while-revalidate=3600';
