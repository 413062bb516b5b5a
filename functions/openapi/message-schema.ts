import { ScalarType, type DescField, type DescMessage } from '@bufbuild/protobuf';
import type { JsonSchema } from './types.ts';

/**
 * What a REST answer is, from the protobuf message its Connect method answers with: the REST API
 * answers the same object as plain JSON, with the .proto field names (snake_case), 64-bit
 * integers as numbers and timestamps as RFC 3339 strings. The RPC path of every function parses
 * its handler's output with that message (platform/rpc.ts), and a test checks real REST answers
 * against the document.
 */

/** Where a message's schema sits in the document. */
export const schemaRef = (message: DescMessage) => ({ $ref: `#/components/schemas/${message.name}` });

const scalarSchema = (field: DescField & { scalar: ScalarType }): JsonSchema => {
  switch (field.scalar) {
    case ScalarType.STRING:
      return { type: 'string' };
    case ScalarType.BOOL:
      return { type: 'boolean' };
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return { type: 'integer', format: 'int32' };
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return { type: 'integer', format: 'int64' };
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return { type: 'number' };
    default:
      throw new Error(`${field.parent.typeName}.${field.name}: no REST mapping for scalar type ${field.scalar}`);
  }
};

/** A message-typed value: a timestamp is a string; any other message a reference to its schema. */
function messageValue(message: DescMessage, add: (m: DescMessage) => void): JsonSchema {
  if (message.typeName === 'google.protobuf.Timestamp') return { type: 'string', format: 'date-time' };
  if (message.typeName.startsWith('google.protobuf.'))
    throw new Error(`no REST mapping for ${message.typeName} (used in a response)`);
  add(message);
  return schemaRef(message);
}

function fieldSchema(field: DescField, add: (m: DescMessage) => void): JsonSchema {
  switch (field.fieldKind) {
    case 'scalar':
      return scalarSchema(field);
    case 'message':
      return messageValue(field.message, add);
    case 'list':
      if (field.listKind === 'scalar') return { type: 'array', items: scalarSchema(field as never) };
      if (field.listKind === 'message') return { type: 'array', items: messageValue(field.message, add) };
      break;
  }
  throw new Error(`${field.parent.typeName}.${field.name}: no REST mapping for a ${field.fieldKind} field`);
}

/**
 * The schemas of `message` and of every message it holds, by name (added to `into`): every field
 * is present in an answer (proto3 `optional` ones may be left out), and nothing else is.
 */
export function addMessageSchemas(message: DescMessage, into: Record<string, JsonSchema>): void {
  const seen = new Map<string, string>();
  const add = (m: DescMessage) => {
    const other = seen.get(m.name) ?? (into[m.name] as { 'x-proto'?: string } | undefined)?.['x-proto'];
    if (other === m.typeName) return;
    if (other) throw new Error(`two messages named ${m.name}: ${other} and ${m.typeName}`);
    seen.set(m.name, m.typeName);
    into[m.name] = {
      type: 'object',
      'x-proto': m.typeName,
      properties: Object.fromEntries(m.fields.map((f) => [f.name, fieldSchema(f, add)])),
      required: m.fields.filter((f) => !f.proto.proto3Optional).map((f) => f.name),
      additionalProperties: false,
    };
  };
  add(message);
}
