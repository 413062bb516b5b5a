import http2 from 'node:http2';
import { codeToString } from '@connectrpc/connect/protocol-connect';
import { grpcWebTrailerStatus, httpStatusOfRpcCode } from '../../platform/http/answer-status.ts';

/** How a test sends an RPC's bytes: the protocol, and the HTTP version it goes over (gRPC needs HTTP/2). */
export type RpcVia =
  | { protocol: 'connect' | 'grpc-web'; http: '1.1' | '2' }
  | {
      protocol: 'grpc';
      http: '2';
    };

/** Every protocol over every HTTP version it is served on. */
export const RPC_VIAS: RpcVia[] = [
  { protocol: 'connect', http: '1.1' },
  { protocol: 'connect', http: '2' },
  { protocol: 'grpc', http: '2' },
  { protocol: 'grpc-web', http: '1.1' },
  { protocol: 'grpc-web', http: '2' },
];

/** A via said in a test's name. */
export const viaLabel = (via: RpcVia) => `${via.protocol} over HTTP/${via.http}`;

/** What an RPC answered: its code by Connect's name (`ok` for none, `none` when it has none), message, and the status it counts as. */
export interface RpcAnswer {
  code: string;
  message: string;
  /** The HTTP status, or for a gRPC code the status the Connect protocol gives it (as answer-status.ts counts). */
  status: number;
  /** The code of a REST JSON error: the gateway's middleware refused the call before any protocol (a body over the limit). */
  edge?: string;
}

/** A gRPC length-prefixed message: a flag byte (1: compressed), a 4-byte big-endian length, the bytes. */
export function frame(message: Uint8Array, flags = 0, length = message.length): Uint8Array {
  const framed = new Uint8Array(5 + message.length);
  framed[0] = flags;
  new DataView(framed.buffer).setUint32(1, length);
  framed.set(message, 5);
  return framed;
}

/** The content type of a binary message in `protocol`. */
const binaryType = { connect: 'application/proto', grpc: 'application/grpc', 'grpc-web': 'application/grpc-web+proto' };

/** The code of a REST JSON error (`{"error":{"code"}}`) in `body`, if it is one. */
function edgeError(body: Uint8Array): string | undefined {
  try {
    const code = JSON.parse(new TextDecoder().decode(body))?.error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/** A `grpc-message` decoded, or as it came when it is not percent-encoded UTF-8. */
function decoded(message: string): string {
  try {
    return decodeURIComponent(message);
  } catch {
    return message;
  }
}

/** The answer of a gRPC or gRPC-Web call with the RPC code `code` (none: the HTTP status's, or a broken answer). */
function grpcAnswer(code: number | undefined, message: string, httpStatus: number, body: Uint8Array): RpcAnswer {
  if (code === undefined)
    return {
      code: 'none',
      message: 'no grpc-status',
      status: httpStatus === 200 ? 500 : httpStatus,
      edge: edgeError(body),
    };
  return {
    code: code === 0 ? 'ok' : codeToString(code),
    message: decoded(message),
    status: code === 0 ? httpStatus : httpStatusOfRpcCode(code),
  };
}

/** The `grpc-message` of a gRPC-Web body's trailer frame. */
const trailerMessage = (body: Uint8Array) =>
  /grpc-message:[ \t]*([^\r\n]*)/i.exec(new TextDecoder().decode(body))?.[1] ?? '';

/** The answer of a Connect unary call: 200, or an error `{code, message}` as JSON. */
function connectAnswer(status: number, body: Uint8Array): RpcAnswer {
  if (status === 200) return { code: 'ok', message: '', status };
  let error: { code?: unknown; message?: unknown } = {};
  try {
    error = JSON.parse(new TextDecoder().decode(body)) ?? {};
  } catch {}
  return typeof error.code === 'string'
    ? { code: error.code, message: String(error.message ?? ''), status }
    : { code: 'none', message: 'not a Connect error', status, edge: edgeError(body) };
}

/**
 * A client that sends raw RPC bytes to a server at `url` (as an attacker would, no Connect
 * client), with `headers` on each call; HTTP/2 calls share one session.
 */
export function rawRpcClient(url: string, headers: Record<string, string> = {}) {
  let session: http2.ClientHttp2Session | undefined;
  const h2 = () => {
    if (!session || session.closed || session.destroyed) {
      session = http2.connect(url);
      session.on('error', () => {});
    }
    return session;
  };
  const overHttp2 = (path: string, head: Record<string, string>, body: Uint8Array) =>
    new Promise<{ status: number; trailers: Record<string, unknown>; body: Uint8Array }>((resolve, reject) => {
      const stream = h2().request({ ':method': 'POST', ':path': path, te: 'trailers', ...head });
      let status = 0;
      let trailers: Record<string, unknown> = {};
      const chunks: Buffer[] = [];
      stream.on('response', (h) => {
        status = Number(h[':status']);
        trailers = { ...h }; // a trailers-only answer has its status in the headers
      });
      stream.on('trailers', (t) => (trailers = { ...trailers, ...t }));
      stream.on('data', (d: Buffer) => chunks.push(d));
      stream.on('error', reject);
      stream.on('close', () => resolve({ status, trailers, body: Buffer.concat(chunks) }));
      stream.end(body);
    });
  return {
    /** Sends `body` as is (framed by the caller for gRPC and gRPC-Web) to the method at `path`. */
    async send(via: RpcVia, path: string, body: Uint8Array, more: Record<string, string> = {}): Promise<RpcAnswer> {
      const head = { 'content-type': binaryType[via.protocol], ...headers, ...more };
      if (via.http === '2') {
        const res = await overHttp2(path, head, body);
        if (via.protocol === 'connect') return connectAnswer(res.status, res.body);
        if (via.protocol === 'grpc-web')
          return grpcAnswer(grpcWebTrailerStatus(res.body), trailerMessage(res.body), res.status, res.body);
        const code = res.trailers['grpc-status'];
        return grpcAnswer(
          code === undefined ? undefined : Number(code),
          String(res.trailers['grpc-message'] ?? ''),
          res.status,
          res.body,
        );
      }
      const res = await fetch(`${url}${path}`, { method: 'POST', headers: head, body });
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (via.protocol === 'connect') return connectAnswer(res.status, bytes);
      return grpcAnswer(grpcWebTrailerStatus(bytes), trailerMessage(bytes), res.status, bytes);
    },
    close: () => session?.close(),
  };
}

/** What a client of {@link rawRpcClient} is. */
export type RawRpcClient = ReturnType<typeof rawRpcClient>;
