import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { CSP } from '../shared/csp';
import { AppError } from '../shared/errors';

/**
 * The request plumbing both HTTP doors share: the loopback web bridge (web/server.ts) and the office network's
 * listener (net/office-server.ts). Each door keeps its own checks (token, Host, signatures); this is what they
 * do the same way once a request passed them.
 */

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/** A JSON answer, never cached; `headers` add the door's own (e.g. HSTS on the office network). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': data.length, 'cache-control': 'no-store', ...headers });
  res.end(data);
}

/** The request's body, refused with api.body_too_large past `max` bytes. */
export function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new AppError('api.body_too_large', { max }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A file of the outbox (a PDF, a workbook, an exchange file) as a download, or shown inline. */
export function sendOutboxFile(res: ServerResponse, f: { path: string; name: string; mime: string; size: number }, inline: boolean): void {
  res.writeHead(200, {
    'content-type': f.mime,
    'content-length': f.size,
    'content-disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(f.name)}`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  createReadStream(f.path)
    .on('error', () => res.destroy())
    .pipe(res);
}

/**
 * A file of the built renderer under `staticRoot` (a resolved folder); anything unknown falls back to index.html
 * (client-side routes), a path out of the folder is refused (403). `headers` add the door's own.
 */
export function serveStatic(res: ServerResponse, staticRoot: string, path: string, headers: Record<string, string> = {}): void {
  let file = normalize(join(staticRoot, path));
  if (!file.startsWith(staticRoot + sep) && file !== staticRoot) {
    res.writeHead(403).end();
    return;
  }
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(staticRoot, 'index.html');
  const type = MIME[extname(file)] ?? 'application/octet-stream';
  const h: Record<string, string> = { 'content-type': type, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', ...headers };
  if (type.startsWith('text/html')) {
    h['content-security-policy'] = CSP;
    h['cache-control'] = 'no-store';
    h['x-frame-options'] = 'DENY';
  }
  res.writeHead(200, h);
  res.end(readFileSync(file));
}
