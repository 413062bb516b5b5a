import { Code, ConnectError } from '@connectrpc/connect';
import {
  createAsyncIterable,
  encodeEnvelope,
  readAllBytes,
  type UniversalServerResponse,
} from '@connectrpc/connect/protocol';
import { codeToHttpStatus, errorFromJsonBytes, errorToJsonBytes } from '@connectrpc/connect/protocol-connect';
import { findTrailerError, setTrailerStatus } from '@connectrpc/connect/protocol-grpc';
import { trailerFlag, trailerParse, trailerSerialize } from '@connectrpc/connect/protocol-grpc-web';
import { toConnectError } from '../connect-errors.ts';
import { isGrpcWeb } from './answer-status.ts';

/** The error to answer instead of `err`: toConnectError's, when it has another code. */
function remapped(err: ConnectError | undefined): ConnectError | undefined {
  const ours = err && toConnectError(err);
  return ours && ours.code !== err.code ? ours : undefined;
}

/** Remaps the error of a gRPC status (trailers, or a gRPC-Web trailer frame's) in place; whether it did. */
function remapStatus(trailer: Headers): boolean {
  const ours = remapped(findTrailerError(trailer));
  if (!ours) return false;
  trailer.delete('grpc-status-details-bin');
  setTrailerStatus(trailer, ours);
  return true;
}

/**
 * A gRPC-Web body with the error of its trailer frame remapped. Connect writes each frame as one
 * chunk; the trailer frame (flag 0x80, uncompressed: it is small) is read again.
 */
async function* remapTrailerFrame(body: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  for await (const chunk of body) {
    const whole = chunk.length >= 5 && new DataView(chunk.buffer, chunk.byteOffset).getUint32(1) === chunk.length - 5;
    const trailer = chunk[0] === trailerFlag && whole ? trailerParse(chunk.subarray(5)) : undefined;
    yield trailer && remapStatus(trailer) ? encodeEnvelope(trailerFlag, trailerSerialize(trailer)) : chunk;
  }
}

/** A Connect unary error answer (JSON `{code, message}`, not compressed: it is small) with its error remapped. */
async function remapConnectError(res: UniversalServerResponse): Promise<UniversalServerResponse> {
  if (!res.body || res.header?.has('content-encoding')) return res;
  const bytes = await readAllBytes(res.body, Number.MAX_SAFE_INTEGER);
  let ours: ConnectError | undefined;
  try {
    ours = remapped(errorFromJsonBytes(bytes, undefined, new ConnectError('not an error')));
  } catch {}
  if (!ours) return { ...res, body: createAsyncIterable([bytes]) };
  const body = errorToJsonBytes(ours, {});
  res.header?.set('content-length', String(body.byteLength));
  return { ...res, status: codeToHttpStatus(ours.code), body: createAsyncIterable([body]) };
}

/**
 * Connect's answer with its error, if any, as toConnectError maps it: also the errors Connect
 * answers itself, which no method sees (a message that does not parse, broken framing). The error
 * is where each protocol puts it: gRPC's trailers (set before a unary answer's first byte), the
 * trailer frame of a gRPC-Web body, the JSON body of a Connect answer.
 */
export async function remapError(res: UniversalServerResponse): Promise<UniversalServerResponse> {
  const type = res.header?.get('content-type') ?? '';
  if (isGrpcWeb(type)) return res.body ? { ...res, body: remapTrailerFrame(res.body) } : res;
  if (/^application\/grpc/i.test(type)) {
    if (res.trailer) remapStatus(res.trailer);
    return res;
  }
  return res.status !== 200 && /^application\/json/i.test(type) ? remapConnectError(res) : res;
}

/**
 * The answer to a gRPC or gRPC-Web call whose error Connect failed to write (with a URIError): its
 * message held a lone surrogate, which `grpc-message` (percent-encoded UTF-8) cannot carry. Such a
 * message quotes what the caller sent (in JSON, `"\ud800"` for a number). Undefined for Connect's
 * own protocol, whose errors are JSON.
 */
export function unquotableError(contentType: string | null): UniversalServerResponse | undefined {
  const err = new ConnectError(
    'a field holds text that is not well-formed Unicode (a lone surrogate)',
    Code.InvalidArgument,
  );
  const header = new Headers({ 'content-type': contentType ?? '' });
  const trailer = setTrailerStatus(new Headers(), err);
  if (isGrpcWeb(contentType))
    return { status: 200, header, body: createAsyncIterable([encodeEnvelope(trailerFlag, trailerSerialize(trailer))]) };
  if (/^application\/grpc/i.test(contentType ?? ''))
    return { status: 200, header, body: createAsyncIterable([]), trailer };
  return undefined;
}
