'use strict';
// A tiny static HTTP server for the browser tests (node's own `http`, nothing to install).
//
//   node serve.cjs --port-file FILE [--parent PID] DIR [DIR...]
//
// Serves each DIR on its own free loopback port (127.0.0.1, port chosen by the OS), all from
// this one process, so the caller has exactly one PID to stop. When every port listens it
// writes one line to FILE: the ports, space-separated, in the order of the DIRs.
//   - GET/HEAD only; `dir/` is served as `dir/index.html`; `dir` (no slash) redirects to `dir/`;
//   - a missing file answers 404 with the site's 404.html as the body (or a short text);
//   - a path that leaves the root (`..`, encoded or not, or a symlink pointing outside) is
//     refused with 403; a malformed percent-escape gets 400;
//   - no caching, so every run sees the build it just made.
// With --parent PID the server exits by itself when that process is gone (a safety net if the
// caller is killed before its trap runs).
const http = require('http');
const fs = require('fs');
const path = require('path');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8', '.atom': 'application/atom+xml; charset=utf-8',
  '.rss': 'application/rss+xml; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp',
  '.avif': 'image/avif', '.ico': 'image/x-icon', '.woff': 'font/woff', '.woff2': 'font/woff2',
  '.pdf': 'application/pdf', '.webmanifest': 'application/manifest+json',
};

function parseArgs(argv) {
  const o = { dirs: [], portFile: null, parent: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port-file') o.portFile = argv[++i];
    else if (argv[i] === '--parent') o.parent = Number(argv[++i]);
    else o.dirs.push(argv[i]);
  }
  if (!o.dirs.length || !o.portFile) {
    console.error('usage: node serve.cjs --port-file FILE [--parent PID] DIR [DIR...]');
    process.exit(2);
  }
  return o;
}

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; " +
  "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

function inside(root, p) {
  return p === root || p.startsWith(root + path.sep);
}

function handler(root) {
  const notFoundPage = path.join(root, '404.html');
  return (req, res) => {
    const send = (status, body, type, extra) => {
      res.writeHead(status, {
        'Content-Type': type || 'text/plain; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
        'Cache-Control': 'no-store',
        // The policy docs/security.md asks hosts to send: a page that needs an inline script
        // or style breaks here, and the console check reports the violation.
        'Content-Security-Policy': CSP,
        ...(extra || {}),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n', null, { Allow: 'GET, HEAD' });
    let rel;
    try {
      const u = new URL(req.url, 'http://127.0.0.1');
      rel = decodeURIComponent(u.pathname);
    } catch (_) {
      return send(400, 'bad request\n');
    }
    if (rel.includes('\0') || !rel.startsWith('/')) return send(400, 'bad request\n');
    const target = path.resolve(root, '.' + rel);
    if (!inside(root, target)) return send(403, 'forbidden\n');
    let file = target;
    let st = null;
    try { st = fs.statSync(file); } catch (_) { st = null; }
    if (st && st.isDirectory()) {
      if (!rel.endsWith('/')) {
        const u = new URL(req.url, 'http://127.0.0.1');
        return send(301, 'moved\n', null, { Location: u.pathname + '/' + u.search });
      }
      file = path.join(file, 'index.html');
      try { st = fs.statSync(file); } catch (_) { st = null; }
    }
    if (st && st.isFile()) {
      let real;
      try { real = fs.realpathSync(file); } catch (_) { real = null; }
      if (!real || !inside(root, real)) return send(403, 'forbidden\n');
      const body = fs.readFileSync(real);
      return send(200, body, TYPES[path.extname(real).toLowerCase()] || 'application/octet-stream');
    }
    let body = 'not found\n';
    let type = null;
    try {
      body = fs.readFileSync(notFoundPage);
      type = TYPES['.html'];
    } catch (_) { /* no 404.html: short text */ }
    return send(404, body, type);
  };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const roots = o.dirs.map((d) => fs.realpathSync(path.resolve(d)));
  const ports = [];
  for (const root of roots) {
    const server = http.createServer(handler(root));
    server.keepAliveTimeout = 1000;
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    ports.push(server.address().port);
  }
  const tmp = o.portFile + '.tmp';
  fs.writeFileSync(tmp, ports.join(' ') + '\n');
  fs.renameSync(tmp, o.portFile);
  if (o.parent) {
    setInterval(() => {
      try { process.kill(o.parent, 0); } catch (_) { process.exit(0); }
    }, 1000).unref();
  }
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, () => process.exit(0));
}

main().catch((e) => {
  console.error('serve.cjs: ' + (e && e.message ? e.message : e));
  process.exit(1);
});
