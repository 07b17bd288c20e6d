/**
 * The jisr:// scheme: serves the built renderer (dist/renderer) to the window, and nothing else.
 * Written on the web platform's Request/Response so it is tested under Node without Electron.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME, securityHeaders } from './security';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** What protocol.registerSchemesAsPrivileged receives (before app ready). */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: {
    standard: true, // real URLs and a real origin, so relative paths and 'self' work
    secure: true, // counts as a secure context, like https
    supportFetchAPI: true,
    codeCache: true,
  },
} as const;

function respond(status: number, body: string | Uint8Array | null, type: string, extra: Record<string, string> = {}): Response {
  return new Response(status === 204 || body === null ? null : (body as BodyInit), {
    status,
    headers: { 'Content-Type': type, 'Cache-Control': 'no-store', ...securityHeaders(), ...extra },
  });
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Returns the handler for protocol.handle('jisr', …). Only GET/HEAD of jisr://app/…; the path must
 * stay inside `rendererDir`; a path without an extension that matches no file is a client-side
 * route and gets index.html; a missing asset is a 404 (not index.html, so a broken build shows).
 */
export function createAppProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  const root = resolve(rendererDir);
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return respond(400, 'bad url', 'text/plain; charset=utf-8');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return respond(404, 'not found', 'text/plain; charset=utf-8');
    if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, 'method not allowed', 'text/plain; charset=utf-8');
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      return respond(400, 'bad path', 'text/plain; charset=utf-8');
    }
    if (rel.includes('\0')) return respond(400, 'bad path', 'text/plain; charset=utf-8');
    let file = normalize(join(root, rel));
    if (file !== root && !file.startsWith(root + sep)) return respond(403, 'forbidden', 'text/plain; charset=utf-8');
    if (!(await isFile(file))) {
      if (extname(file) !== '') return respond(404, 'not found', 'text/plain; charset=utf-8');
      file = join(root, 'index.html');
    }
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch {
      return respond(404, 'not found', 'text/plain; charset=utf-8');
    }
    const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
    const cache = type.startsWith('text/html') ? 'no-store' : 'no-cache';
    return respond(200, request.method === 'HEAD' ? null : new Uint8Array(data), type, { 'Cache-Control': cache });
  };
}
