import { describe, expect, it } from 'vitest';
import { AnswerParser } from '../scripts/bench/answer-parser.ts';

const bytes = (s: string) => Buffer.from(s, 'latin1');
const json = (body: string, extra = '') =>
  `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`;

/** Feeds `text` cut at `cut`; the answer, as text. */
function read(text: string, cut: number, parser = new AnswerParser()) {
  const a = parser.push(bytes(text.slice(0, cut))) ?? parser.push(bytes(text.slice(cut)));
  return a && { status: a.status, headers: a.headers, body: a.body.toString('latin1') };
}

describe('the load generators reading an HTTP/1.1 answer', () => {
  it('reads a Content-Length answer whatever the bytes are cut into, header names in lower case', () => {
    const answer = json('{"a":1}', 'Set-Cookie: a=1\r\nset-cookie: b=2\r\n');
    for (let cut = 1; cut < answer.length; cut++)
      expect(read(answer, cut)).toEqual({
        status: 200,
        headers: [
          ['content-type', 'application/json'],
          ['content-length', '7'],
          ['set-cookie', 'a=1'],
          ['set-cookie', 'b=2'],
        ],
        body: '{"a":1}',
      });
  });

  it('reads a chunked answer byte by byte (chunk extensions, trailers)', () => {
    const answer =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na;x=1\r\n0123456789\r\n3\r\nabc\r\n0\r\nx-trailer: 1\r\n\r\n';
    const parser = new AnswerParser();
    const done = [...answer].map((ch) => parser.push(bytes(ch))).filter(Boolean);
    expect(done).toHaveLength(1);
    expect(done[0]!.body.toString()).toBe('0123456789abc');
  });

  it('reads no body after a HEAD request, nor in a 204 or 304; skips a 100 Continue', () => {
    expect(new AnswerParser(true).push(bytes('HTTP/1.1 200 OK\r\ncontent-length: 99\r\n\r\n'))?.body).toHaveLength(0);
    expect(new AnswerParser().push(bytes('HTTP/1.1 204 No Content\r\n\r\n'))?.status).toBe(204);
    expect(new AnswerParser().push(bytes('HTTP/1.1 304 Not Modified\r\ncontent-length: 5\r\n\r\n'))?.status).toBe(304);
    expect(read(`HTTP/1.1 100 Continue\r\n\r\n${json('{}')}`, 10)?.status).toBe(200);
  });

  it('ends a body without length at the connection end, and says the connection closes', () => {
    const parser = new AnswerParser();
    expect(parser.push(bytes('HTTP/1.1 200 OK\r\n\r\npart 1, '))).toBeUndefined();
    expect(parser.push(bytes('part 2'))).toBeUndefined();
    expect(parser.end()?.body.toString()).toBe('part 1, part 2');
    expect(parser.close).toBe(true);
  });

  it('says when the connection closes after the answer, and how long the server keeps it idle', () => {
    const close = new AnswerParser();
    close.push(bytes(json('{}', 'Connection: close\r\n')));
    expect(close.close).toBe(true);
    const old = new AnswerParser();
    old.push(bytes('HTTP/1.0 200 OK\r\ncontent-length: 0\r\n\r\n'));
    expect(old.close).toBe(true);
    const kept = new AnswerParser();
    kept.push(bytes(json('{}', 'Connection: keep-alive\r\nKeep-Alive: timeout=65\r\n')));
    expect([kept.close, kept.keepAliveMs]).toEqual([false, 65_000]);
    const extra = new AnswerParser();
    extra.push(bytes(`${json('{}')}HTTP/1.1 200 OK\r\n`)); // bytes nobody asked for: not reused
    expect(extra.close).toBe(true);
    expect(new AnswerParser().end()).toBeUndefined(); // nothing came
  });

  it('refuses what is not an HTTP/1.1 answer: status line, length, chunk size, header line', () => {
    const fails = (text: string) => () => new AnswerParser().push(bytes(text));
    expect(fails('SSH-2.0-OpenSSH\r\n\r\n')).toThrow(/not an HTTP/);
    expect(fails('HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n')).toThrow(/Content-Length/);
    expect(fails('HTTP/1.1 200 OK\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\n')).toThrow(/Content-Length/);
    expect(fails('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n')).toThrow(/chunk size/);
    expect(fails('HTTP/1.1 200 OK\r\nno colon\r\n\r\n')).toThrow(/header/);
    expect(fails(`HTTP/1.1 200 OK\r\nx: ${'y'.repeat(20_000)}`)).toThrow(/too large/);
  });
});
