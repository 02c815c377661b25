import type { ServerResponse } from 'node:http';

/**
 * The API answers JSON and files, never pages: nothing in an answer may run, load or be framed.
 * Pages (the API documentation, the web portal) replace this policy with their own.
 */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Swagger UI at /docs, the least it runs with (checked in Chromium with violation reports): its
 * scripts, styles and the OpenAPI document come from this server, it injects a <style> element
 * (hence 'unsafe-inline', for styles only) and its icons are data: URLs.
 */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
  "connect-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

const HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy': API_CONTENT_SECURITY_POLICY,
};

/**
 * Sets the security headers on the raw response, where they also reach the answers of routes that
 * write it themselves (tus, after reply.hijack()); a header a route sets itself takes precedence.
 */
export function setSecurityHeaders(response: ServerResponse): void {
  for (const [name, value] of Object.entries(HEADERS)) response.setHeader(name, value);
}
