import { LATEST_NEWS_SCRIPT_HASH } from './latest-news-script';
import { STYLESHEET_HASH } from './stylesheet';

/**
 * Response security headers for everything readers get. CloudFront sends one fixed set for all pages,
 * so the policy allows exactly the one inline script and the one inline stylesheet, by hash; both are
 * constants and identical on every page. JSON-LD blocks are data, not script, and need no allowance.
 */

export interface SecurityHeaders {
  contentSecurityPolicy: string;
  strictTransportSecurity: { maxAgeSeconds: number; includeSubdomains: boolean; preload: boolean };
  frameOptions: 'DENY';
  referrerPolicy: string;
  permissionsPolicy: string;
  crossOriginOpenerPolicy: string;
}

const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src ${LATEST_NEWS_SCRIPT_HASH}`,
  `style-src ${STYLESHEET_HASH}`,
  // Article images are hot-linked from agencies and CDNs; `data:` is the empty favicon.
  "img-src 'self' https: data:",
  // The "Latest news" refresher calls the same-origin API.
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  // The refresher writes no HTML, so no page needs a DOM XSS sink; browsers that know this enforce it.
  "require-trusted-types-for 'script'",
  // `upgrade-insecure-requests` is left out: it would break the local stack, which serves plain http.
].join('; ');

export const SECURITY_HEADERS: SecurityHeaders = {
  contentSecurityPolicy: CONTENT_SECURITY_POLICY,
  // Two years, the HSTS preload list's minimum; preload itself is a deployment decision, not a default.
  strictTransportSecurity: { maxAgeSeconds: 63_072_000, includeSubdomains: true, preload: false },
  frameOptions: 'DENY',
  referrerPolicy: 'strict-origin-when-cross-origin',
  permissionsPolicy:
    'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()',
  crossOriginOpenerPolicy: 'same-origin',
};

function strictTransportSecurityValue({
  maxAgeSeconds,
  includeSubdomains,
  preload,
}: SecurityHeaders['strictTransportSecurity']): string {
  return [`max-age=${maxAgeSeconds}`, includeSubdomains && 'includeSubDomains', preload && 'preload']
    .filter(Boolean)
    .join('; ');
}

/** The same policy as plain HTTP headers, for the local server that stands in for CloudFront. */
export function securityHeadersForHttp(): Record<string, string> {
  return {
    'Content-Security-Policy': SECURITY_HEADERS.contentSecurityPolicy,
    'Strict-Transport-Security': strictTransportSecurityValue(SECURITY_HEADERS.strictTransportSecurity),
    'X-Frame-Options': SECURITY_HEADERS.frameOptions,
    'Referrer-Policy': SECURITY_HEADERS.referrerPolicy,
    'Permissions-Policy': SECURITY_HEADERS.permissionsPolicy,
    'Cross-Origin-Opener-Policy': SECURITY_HEADERS.crossOriginOpenerPolicy,
    'X-Content-Type-Options': 'nosniff',
  };
}
