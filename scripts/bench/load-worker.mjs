// Runs one autocannon load in its own process and prints the result as JSON: the benchmark's
// load generator never shares a process with what it measures. `{n}` in the body becomes a
// counter, so that every request can name another user.
import autocannon from 'autocannon';

const o = JSON.parse(process.argv[2]);
let n = 0;
const result = await autocannon({
  url: o.url,
  connections: o.connections,
  duration: o.seconds,
  headers: o.headers ?? {},
  requests: [{
    method: o.method ?? 'GET',
    setupRequest: (req) => (o.body ? { ...req, body: o.body.replaceAll('{n}', String(n++ % (o.distinct ?? 1e9))) } : req),
  }],
});
console.log(JSON.stringify({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx }));
