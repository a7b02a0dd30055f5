// A webhook receiver for the tests: verifies every delivery with the Standard
// Webhooks reference library (npm `standardwebhooks`) and records the verdict.
//   PUT  /secret   body: the whsec_… secret to verify with from now on
//   GET  /results  JSON list of {id, ok, type | error}
//   POST any other path: a delivery; 204 if it verifies, 400 otherwise
// Prints "PORT <n>" once listening on 127.0.0.1 (port 0: the system picks).
// RUCHE_NODE_MODULES: the folder holding standardwebhooks (npm ci in the build tree).
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const modules = process.env.RUCHE_NODE_MODULES || path.join(here, 'node_modules');
const require = createRequire(path.join(modules, 'noop.js'));
const { Webhook } = require('standardwebhooks');

let secret = '';
const results = [];

const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    if (req.method === 'PUT' && req.url === '/secret') {
      secret = body.trim();
      res.writeHead(204).end();
    } else if (req.method === 'GET' && req.url === '/results') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(results));
    } else if (req.method === 'POST') {
      const id = req.headers['webhook-id'] || '';
      try {
        const payload = new Webhook(secret).verify(body, req.headers);
        results.push({ id, ok: true, type: payload.type });
        res.writeHead(204).end();
      } catch (error) {
        results.push({ id, ok: false, error: String(error && error.message) });
        res.writeHead(400, { 'content-type': 'text/plain' }).end('verification failed');
      }
    } else {
      res.writeHead(404).end();
    }
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`PORT ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
