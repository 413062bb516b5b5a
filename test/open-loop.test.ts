import { describe, expect, it } from 'vitest';
import { AnswerFramer, dueAt, dueBy, percentiles } from '../scripts/bench/open-loop.ts';

const bytes = (s: string) => Buffer.from(s, 'latin1');

describe('the open-loop schedule', () => {
  it('has request i due at i / rate seconds, the first at the start', () => {
    expect([0, 1, 2, 1000].map((i) => dueAt(i, 4000))).toEqual([0, 0.25, 0.5, 250]);
  });

  it('counts the requests due by a moment: the one due exactly then included, none before the start', () => {
    expect(dueBy(-1, 4000)).toBe(0);
    expect(dueBy(0, 4000)).toBe(1);
    expect(dueBy(0.24, 4000)).toBe(1);
    expect(dueBy(0.25, 4000)).toBe(2);
    expect(dueBy(1000, 4000)).toBe(4001);
  });

  it('agrees with dueAt: every request is due by its own time, and not just before it', () => {
    for (const rate of [3, 1000, 3333, 4500]) {
      for (let i = 1; i < 2000; i += 7) {
        expect(dueBy(dueAt(i, rate) + 1e-9, rate)).toBeGreaterThanOrEqual(i + 1);
        expect(dueBy(dueAt(i, rate) - 1e-6, rate)).toBeLessThanOrEqual(i);
      }
    }
  });
});

describe('where an answer ends on a connection', () => {
  const json = (body: string, status = '200 OK') =>
    `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

  it('reads a Content-Length answer, whatever the bytes are cut into', () => {
    const answer = json('{"items":[1,2,3]}') + json('{}', '404 Not Found');
    for (let cut = 1; cut < answer.length; cut++) {
      const framer = new AnswerFramer();
      expect([...framer.push(bytes(answer.slice(0, cut))), ...framer.push(bytes(answer.slice(cut)))]).toEqual([
        200, 404,
      ]);
    }
  });

  it('reads a chunked answer (chunk sizes in hex, trailers) byte by byte', () => {
    const answer =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' +
      'a\r\n0123456789\r\n1\r\nx\r\n0\r\nx-trailer: 1\r\n\r\n' +
      json('{}', '503 Service Unavailable');
    const framer = new AnswerFramer();
    const done = [...answer].flatMap((ch) => framer.push(bytes(ch)));
    expect(done).toEqual([200, 503]);
  });

  it('ends a 204 at its head, skips a 100 Continue, and ends a body without length at the close', () => {
    const framer = new AnswerFramer();
    expect(framer.push(bytes('HTTP/1.1 204 No Content\r\nx: y\r\n\r\n'))).toEqual([204]);
    expect(
      framer.push(bytes('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\n{}')),
    ).toEqual([201]);
    expect(framer.closed()).toBeUndefined();
    expect(framer.push(bytes('HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nsome body'))).toEqual([]);
    expect(framer.closed()).toBe(200);
  });

  it('refuses bytes that are not an HTTP/1.1 answer', () => {
    expect(() => new AnswerFramer().push(bytes('SSH-2.0-OpenSSH\r\n\r\n'))).toThrow(/not an HTTP/);
  });
});

describe('latency percentiles', () => {
  it('are nearest-rank', () => {
    const ms = Float64Array.from({ length: 1000 }, (_, i) => 1000 - i); // 1..1000, unsorted
    expect(percentiles(ms)).toEqual({ p50: 500, p90: 900, p99: 990, p999: 999, max: 1000 });
    expect(percentiles(Float64Array.of(7))).toEqual({ p50: 7, p90: 7, p99: 7, p999: 7, max: 7 });
  });
});
