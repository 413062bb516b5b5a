import { toJsonSchema, type ConversionConfig } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import type { JsonSchema } from './types.ts';

/**
 * How valibot input schemas become JSON Schema: the input type (what a client sends, before any
 * transformation), failing on anything that cannot be said in JSON Schema, except:
 * - `trim` (a client's text is taken trimmed: nothing a schema needs to say);
 * - the `u` flag of a pattern (JSON Schema patterns are Unicode-aware already);
 * - the whole numbers of `intSchema` (platform/validation.ts), which take a number or a decimal
 *   string: said as `integer`, the type a client should send;
 * - a string a text must not contain (`excludes`, the NUL character of `textSchema`): said as a
 *   pattern it must `not` match.
 * Anything else that cannot be converted throws, so that a new kind of check is noticed here
 * (and by the test of the document) rather than silently left out.
 */
const config: ConversionConfig = {
  target: 'draft-2020-12',
  typeMode: 'input',
  errorMode: 'throw',
  ignoreActions: ['trim'],
  overrideAction: ({ valibotAction, jsonSchema }) => {
    if (valibotAction.type === 'regex') {
      const { source, flags } = (valibotAction as unknown as { requirement: RegExp }).requirement;
      if (flags === 'u' && jsonSchema.pattern === source) return { ...jsonSchema };
    }
    if (valibotAction.type === 'excludes') {
      // A text that must not contain a string: said as a pattern it must not match.
      const { requirement } = valibotAction as unknown as { requirement: unknown };
      if (typeof requirement === 'string')
        return { ...jsonSchema, not: { pattern: requirement.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') } };
    }
    if (valibotAction.type === 'integer' && jsonSchema.anyOf) {
      const { anyOf: _numberOrDecimalString, ...rest } = jsonSchema;
      return { ...rest, type: 'integer' };
    }
    return undefined;
  },
};

/** The JSON Schema of what a client sends for `schema` (without `$schema`: it sits in an OpenAPI document). */
function inputJsonSchema(schema: v.GenericSchema): JsonSchema {
  const { $schema: _dialect, ...json } = toJsonSchema(schema, config) as JsonSchema;
  return json;
}

/** The fields of an object input schema: each one's JSON Schema, and whether it is required. */
export function inputFields(schema: v.GenericSchema): { name: string; schema: JsonSchema; required: boolean }[] {
  const json = inputJsonSchema(schema);
  if (json.type !== 'object') throw new Error(`an input schema must be an object, not ${JSON.stringify(json.type)}`);
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries((json.properties ?? {}) as Record<string, JsonSchema>).map(([name, field]) => ({
    name,
    schema: field,
    required: required.has(name),
  }));
}
