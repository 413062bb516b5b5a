import type { FunctionDef } from '../../platform/define.ts';
import type { JsonSchema } from './types.ts';

/** The two ways to say who calls: both a bearer token in `Authorization`. */
export const securitySchemes: Record<string, JsonSchema> = {
  userJwt: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'A JWT whose `sub` is the user; one whose `roles` hold `"admin"` is an admin. In development, `npm run -s token -- <user> [--admin]` signs one.',
  },
  adminToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'The `ADMIN_TOKEN` the shop was started with: an admin (a development fallback).',
  },
};

/**
 * Who may call a function, as OpenAPI security requirements: a public one anyone (no token; a
 * token that is sent must be valid); a user's one the user (their JWT) or an admin; an admin's one
 * an admin: a JWT with the role `admin`, or the admin token.
 */
export function securityOf(access: FunctionDef<unknown>['access']): Record<string, string[]>[] {
  switch (access) {
    case 'public':
      return [];
    case 'user':
      return [{ userJwt: [] }, { adminToken: [] }];
    case 'admin':
      return [{ userJwt: ['admin'] }, { adminToken: [] }];
  }
}
