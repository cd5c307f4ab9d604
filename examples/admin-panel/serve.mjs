// A static server for the example: the page from this folder, the package under /vendor/vpsgate/.
// Usage: node serve.mjs [port] [package-dir]   (package-dir defaults to ../../bindings/npm)
// Then open http://127.0.0.1:PORT/?gateway=http://127.0.0.1:SANDBOX_PORT/apih.php
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

/** Serve on loopback; resolves to the server once it listens. */
export function serve(port = 0, packageDir = resolve(here, '../../bindings/npm')) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const [root, rest] = path.startsWith('/vendor/vpsgate/')
      ? [packageDir, path.slice('/vendor/vpsgate/'.length)]
      : [here, path === '/' ? 'index.html' : path.slice(1)];
    const file = normalize(join(root, rest));
    if (!file.startsWith(normalize(root))) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok(server)));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const server = await serve(Number(process.argv[2] || 8081), process.argv[3] && resolve(process.argv[3]));
  console.log(`admin panel on http://127.0.0.1:${server.address().port}/`);
}
