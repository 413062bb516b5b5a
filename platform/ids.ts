import { randomUUID } from 'node:crypto';

/** Produces a fresh unique identifier. */
export type NewId = () => string;

/** Random UUIDv4 identifiers. */
export const uuid: NewId = () => randomUUID();
