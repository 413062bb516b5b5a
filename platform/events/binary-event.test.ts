import { CloudEvent, HTTP } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import { binaryEvent, isBinaryMode } from './binary-event.ts';

const attributes = {
  specversion: '1.0',
  id: 'e1',
  source: '/shop/process-payment',
  type: 'shop.payment.v1.PaymentCompleted',
  subject: 'pay-1',
  time: '2026-01-15T10:00:00.000Z',
  signature: 'c2lnbmVk',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
};

/** What the CloudEvents SDK sends in binary mode for an event, as fetch headers and body. */
function binary(init: Record<string, unknown>) {
  const message = HTTP.binary(new CloudEvent(init as never, false));
  return { headers: new Headers(message.headers as Record<string, string>), body: String(message.body ?? '') };
}

describe('a CloudEvent in HTTP binary mode', () => {
  it('is recognised by its ce-specversion header, and only by it', () => {
    expect(isBinaryMode(binary({ ...attributes, data: { a: 1 } }).headers)).toBe(true);
    expect(isBinaryMode(new Headers({ 'content-type': 'application/cloudevents+json', 'ce-id': 'e1' }))).toBe(false);
  });

  it('reads every ce-* header as an attribute, extensions included, content-type as datacontenttype and the JSON body as data', () => {
    const { headers, body } = binary({
      ...attributes,
      datacontenttype: 'application/json',
      data: { payment_id: 'pay-1', items: [] },
    });
    expect(binaryEvent(headers, body)).toEqual({
      event: { ...attributes, datacontenttype: 'application/json', data: { payment_id: 'pay-1', items: [] } },
    });
  });

  it('percent-decodes attribute values, as the HTTP binding encodes what is not printable ASCII', () => {
    const headers = new Headers({ 'ce-specversion': '1.0', 'ce-subject': 'caf%C3%A9 %22x%22 100%25' });
    expect(binaryEvent(headers, '')).toEqual({ event: { specversion: '1.0', subject: 'café "x" 100%' } });
    expect(binaryEvent(new Headers({ 'ce-specversion': '1.0', 'ce-subject': '%E0%A4%A' }), '')).toEqual({
      reason: 'header ce-subject is not percent-encoded text',
    });
  });

  it('keeps data that is not JSON as text, and refuses a body its JSON content type does not fit', () => {
    expect(binaryEvent(new Headers({ 'ce-specversion': '1.0', 'content-type': 'text/plain' }), 'hello')).toEqual({
      event: { specversion: '1.0', datacontenttype: 'text/plain', data: 'hello' },
    });
    expect(binaryEvent(new Headers({ 'ce-specversion': '1.0' }), '{"a":1}')).toEqual({
      event: { specversion: '1.0', data: '{"a":1}' },
    });
    expect(
      binaryEvent(
        new Headers({ 'ce-specversion': '1.0', 'content-type': 'application/vnd.shop+json; charset=utf-8' }),
        '{"a":1}',
      ),
    ).toMatchObject({ event: { data: { a: 1 } } });
    expect(
      binaryEvent(new Headers({ 'ce-specversion': '1.0', 'content-type': 'application/json' }), '{not json'),
    ).toEqual({ reason: 'data is not the JSON its content type (application/json) says' });
  });
});
