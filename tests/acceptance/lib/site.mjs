// A built site folder: its files, how a URL path maps to one of them, and a static server for it.
import { createServer } from 'node:http';
import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json', '.xml': 'application/xml',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif',
  '.webp': 'image/webp', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.woff': 'font/woff', '.txt': 'text/plain; charset=utf-8',
};

function isFile(p) { try { return statSync(p).isFile(); } catch { return false; } }
function isDir(p) { try { return statSync(p).isDirectory(); } catch { return false; } }

/** Every file under `root` whose name matches `re`, as sorted paths relative to root with `/`. */
export function listFiles(root, re) {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue; // .majors-manifest and the like are not published pages
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (re.test(e.name)) out.push(path.relative(root, p).split(path.sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

/** The URL path a static host serves a file at: `a/index.html` -> `/a/`, `404.html` -> `/404.html`. */
export function urlPathOf(rel) {
  if (rel === 'index.html') return '/';
  if (rel.endsWith('/index.html')) return '/' + rel.slice(0, -'index.html'.length);
  return '/' + rel;
}

/**
 * What a static host does with a URL path (percent-encoded, as in a URL): `{ file }` (relative to
 * root) when it serves a file, `{ redirect }` for a folder named without its trailing slash, or
 * `{}` when it answers 404. A folder is served through its index.html.
 */
export function resolvePath(root, urlPath) {
  let p;
  try { p = decodeURIComponent(urlPath); } catch { return {}; }
  const parts = p.split('/');
  if (parts.some((s) => s === '..' || s.includes('\0'))) return {};
  const abs = path.join(root, ...parts);
  if (p.endsWith('/')) {
    const index = path.join(abs, 'index.html');
    return isFile(index) ? { file: path.relative(root, index).split(path.sep).join('/') } : {};
  }
  if (isFile(abs)) return { file: path.relative(root, abs).split(path.sep).join('/') };
  if (isDir(abs) && isFile(path.join(abs, 'index.html'))) return { redirect: urlPath + '/' };
  return {};
}

/** Serves `root` on 127.0.0.1 at a free port, as a static host would; resolves to { base, close }. */
export function serveSite(root) {
  const server = createServer(async (req, res) => {
    const { pathname, search } = new URL(req.url, 'http://127.0.0.1');
    const hit = resolvePath(root, pathname);
    const head = req.method === 'HEAD';
    if (hit.redirect) {
      res.writeHead(301, { location: hit.redirect + search }).end();
    } else if (hit.file) {
      const data = await readFile(path.join(root, hit.file)).catch(() => null);
      if (!data) { res.writeHead(500).end(); return; }
      res.writeHead(200, { 'content-type': TYPES[path.extname(hit.file).toLowerCase()] || 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(head ? undefined : data);
    } else {
      const page = await readFile(path.join(root, '404.html')).catch(() => Buffer.from('not found'));
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(head ? undefined : page);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({
      base: `http://127.0.0.1:${server.address().port}/`,
      close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
    }));
  });
}
