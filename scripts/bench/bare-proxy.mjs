// The floor of any proxy hop on this machine: the least a Node HTTP proxy can be (node:http in
// and out, kept-alive connections to UPSTREAM, the answer piped back; no routing, limits,
// tracing, metrics or logs). The gateway figure is reported beside it.
import { Agent, createServer, request } from 'node:http';

const upstream = new URL(process.env.UPSTREAM ?? 'http://127.0.0.1:1');
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
createServer((req, res) => {
  const out = request(
    { agent, host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  out.on('error', () => res.writeHead(502).end());
  req.pipe(out);
}).listen(Number(process.env.PORT), '127.0.0.1');
