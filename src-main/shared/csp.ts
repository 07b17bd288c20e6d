/**
 * The Content-Security-Policy of the app, the same for the Electron window (set by the app://
 * protocol handler and by session.webRequest) and for the loopback web bridge.
 * Only the app's own origin: no remote origin, no eval, no plugins, no framing, no forms posting away.
 * 'unsafe-inline' for styles only, because the UI kit sets style attributes.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
