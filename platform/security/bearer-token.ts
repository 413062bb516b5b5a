/** The token of an `Authorization: Bearer <token>` header (the scheme in any case), or undefined. */
export const bearerToken = (authorization: string | undefined): string | undefined =>
  /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
