/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1). */
export type JsonSchema = { [keyword: string]: unknown };

/** An OpenAPI 3.1 parameter. */
export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

/** An OpenAPI 3.1 response: JSON content, or none. */
export interface Response {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: { 'application/json': { schema: JsonSchema } };
}

/** An OpenAPI 3.1 operation, as the generator writes them. */
export interface Operation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  /** Who may call it: the function's `access`. */
  'x-access': 'public' | 'user' | 'admin';
  security: Record<string, string[]>[];
  parameters: Parameter[];
  requestBody?: { required: boolean; content: { 'application/json': { schema: JsonSchema } } };
  responses: Record<string, Response | { $ref: string }>;
}

/** An OpenAPI 3.1 document, as the generator writes them. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  tags: { name: string; description: string }[];
  paths: Record<string, Partial<Record<'get' | 'post' | 'put' | 'delete', Operation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, Response>;
    securitySchemes: Record<string, JsonSchema>;
  };
}
