import { jsonResponse } from '../http/responses';
import { buildOpenApiDocument } from '../openapi/openapi-document';
import { REFERENCE_CACHE_CONTROL } from '../openapi/reference-endpoints';

/**
 * GET /api/openapi.json. Built once per instance; nothing here can fail per request, so the handler does
 * without httpHandler's logging and error mapping, which would bundle the AWS SDK for nothing.
 */
const answer = jsonResponse(200, buildOpenApiDocument(), { 'cache-control': REFERENCE_CACHE_CONTROL });

export const handler = async () => answer;
