/** The header prefix of a CloudEvent's attributes in HTTP binary mode. */
const PREFIX = 'ce-';

/** Whether an HTTP message carries a CloudEvent in binary mode (`ce-specversion` is required there, and only there). */
export const isBinaryMode = (headers: Headers): boolean => headers.has(`${PREFIX}specversion`);

/** A media type that says the body is JSON (`application/json`, `...+json`, with or without parameters). */
const isJson = (contentType: string) => /^application\/([\w.-]+\+)?json\s*(;|$)/i.test(contentType);

/**
 * The CloudEvent of an HTTP message in binary mode (CloudEvents HTTP protocol binding 1.0, 3.1):
 * every `ce-<name>` header is the attribute `<name>` (percent-decoded), `content-type` is
 * `datacontenttype`, and the body is `data` (parsed when its media type is JSON, text otherwise).
 * Validating the attributes is the caller's: this only decodes.
 */
export function binaryEvent(headers: Headers, body: string): { event: Record<string, unknown> } | { reason: string } {
  const event: Record<string, unknown> = {};
  for (const [name, value] of headers) {
    if (!name.startsWith(PREFIX) || name.length === PREFIX.length) continue;
    try {
      event[name.slice(PREFIX.length)] = decodeURIComponent(value);
    } catch {
      return { reason: `header ${name} is not percent-encoded text` };
    }
  }
  const contentType = headers.get('content-type');
  if (contentType) event.datacontenttype = contentType;
  if (body === '') return { event };
  if (!contentType || !isJson(contentType)) return { event: { ...event, data: body } };
  try {
    return { event: { ...event, data: JSON.parse(body) } };
  } catch {
    return { reason: `data is not the JSON its content type (${contentType}) says` };
  }
}
