// The cold-start baseline: the least a Node HTTP server can be (no framework, no dependencies).
import { createServer } from 'node:http';
createServer((_req, res) => res.end('{"status":"ok"}')).listen(Number(process.env.PORT), '127.0.0.1');
