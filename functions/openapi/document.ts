import { errorResponseComponents, errorSchemas } from './error-responses.ts';
import { addMessageSchemas } from './message-schema.ts';
import { openApiPath, operationOf } from './operation.ts';
import { requestFunctions } from './request-functions.ts';
import { securitySchemes } from './security.ts';
import type { JsonSchema, OpenApiDocument } from './types.ts';

const tags = [
  { name: 'products', description: 'The catalog and its stock. Writes are for admins.' },
  { name: 'baskets', description: 'One basket per user, priced at current catalog prices.' },
  { name: 'payments', description: 'Charging a basket, and refunds.' },
  { name: 'reconciliation', description: "The payment provider's ledger against the shop's records (admins)." },
];

/**
 * The OpenAPI 3.1 document of the REST API, generated from the route table and each request
 * function's definition: its path and method (functions/routes.ts), input (its valibot schema,
 * where its `restInput` reads each field), access, statuses, errors, and answers (the protobuf
 * message of its Connect method, whose descriptor loads here).
 */
export async function openApiDocument(): Promise<OpenApiDocument> {
  const functions = requestFunctions();
  const methods = await Promise.all(functions.map((f) => f.route.rpc.load()));
  const schemas: Record<string, JsonSchema> = { ...errorSchemas };
  const paths: OpenApiDocument['paths'] = {};
  for (const [i, { name, route, def }] of functions.entries()) {
    const output = methods[i]!.output;
    if (output.typeName !== 'google.protobuf.Empty') addMessageSchemas(output, schemas);
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operationOf(name, route, def, output) };
  }
  return {
    openapi: '3.1.1',
    info: {
      title: 'daprps shop API',
      version: 'v1',
      description:
        'Products, baskets and payments as REST JSON (snake_case fields, amounts in integer minor units). Every error is `{"error":{"code","message","field"?}}`. Each operation is also a Connect-RPC method on the same port.',
    },
    tags,
    paths,
    components: { schemas, responses: errorResponseComponents, securitySchemes },
  };
}
