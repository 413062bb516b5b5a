import type { DescMessage } from '@bufbuild/protobuf';
import type { FunctionDef } from '../../platform/define.ts';
import type { RequestName } from '../definitions.ts';
import type { RequestRoute } from '../routes.ts';
import { domainErrors } from './domain-errors.ts';
import { commonErrors, errorResponses } from './error-responses.ts';
import { inputFields } from './input-schema.ts';
import { schemaRef } from './message-schema.ts';
import { restSources } from './rest-sources.ts';
import { restStatuses } from './rest-statuses.ts';
import { securityOf } from './security.ts';
import type { JsonSchema, Operation, Parameter, Response } from './types.ts';

/** `/api/v1/products/:id` → `/api/v1/products/{id}`. */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** `list-products` → `List products`. */
const summaryOf = (name: string) => name.charAt(0).toUpperCase() + name.slice(1).replaceAll('-', ' ');

/** What of a definition its operation says. */
type Definition = Pick<FunctionDef<unknown>, 'input' | 'access' | 'restInput' | 'restStatus'>;

const accessText = {
  public: 'Anyone may call it.',
  user: 'For the user it names (their JWT), or an admin.',
  admin: 'Admins only: a JWT with the role `admin`, or the admin token.',
};

/** The success responses: the statuses its `restStatus` answers with, else 200 with its output or 204 without. */
function successResponses(name: RequestName, def: Definition, output: DescMessage): Record<string, Response> {
  const json = { content: { 'application/json': { schema: schemaRef(output) } } };
  if (def.restStatus) {
    const statuses = restStatuses[name];
    if (!statuses)
      throw new Error(
        `${name} has its own restStatus: say in functions/openapi/rest-statuses.ts which statuses it answers`,
      );
    return Object.fromEntries(
      Object.entries(statuses).map(([status, description]) => [status, { description, ...json }]),
    );
  }
  if (output.typeName === 'google.protobuf.Empty') return { 204: { description: 'Done; no content.' } };
  return { 200: { description: `A ${output.name}.`, ...json } };
}

/**
 * The operation of a request function's REST route: its input fields where its REST input reads
 * them (path, query, header or JSON body) with their schemas from its valibot input, who may
 * call it (its `access`), its answers (its Connect method's output message) and the errors it
 * can answer.
 */
export function operationOf(name: RequestName, route: RequestRoute, def: Definition, output: DescMessage): Operation {
  const fields = inputFields(def.input);
  const sources = restSources(
    route.path,
    def.restInput,
    fields.map((f) => f.name),
  );
  const parameters: Parameter[] = [];
  const body: { properties: Record<string, JsonSchema>; required: string[] } = { properties: {}, required: [] };
  for (const field of fields) {
    const source = sources.get(field.name);
    if (!source) continue;
    if (source.in === 'body') {
      body.properties[source.name] = field.schema;
      if (field.required) body.required.push(source.name);
    } else {
      parameters.push({
        name: source.name,
        in: source.in,
        required: source.in === 'path' || field.required,
        ...(typeof field.schema.description === 'string' ? { description: field.schema.description } : {}),
        schema: field.schema,
      });
    }
  }
  const hasBody = Object.keys(body.properties).length > 0;
  return {
    operationId: name,
    summary: summaryOf(name),
    description: `${accessText[def.access]} Also Connect-RPC: \`POST ${route.rpc.path}\`.`,
    tags: [route.path.split('/')[3]!],
    'x-access': def.access,
    security: securityOf(def.access),
    parameters,
    ...(hasBody
      ? {
          requestBody: {
            required: body.required.length > 0,
            content: { 'application/json': { schema: { type: 'object', ...body } } },
          },
        }
      : {}),
    responses: {
      ...successResponses(name, def, output),
      ...errorResponses([...commonErrors(route, def.access), ...domainErrors[name]]),
    },
  };
}
