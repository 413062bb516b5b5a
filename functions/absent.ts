/**
 * Stands in for a dependency a process did not open because none of its functions needs it
 * (their `needs`, derived from what their handlers use: functions/definitions.ts): any use is
 * a programming error and says which.
 */
export function absent<T extends object>(what: string, need: string): T {
  return new Proxy({} as T, {
    get(_, key) {
      if (key === 'then') return undefined; // not a promise
      throw new Error(`${what} was not opened: this process's functions do not declare the need "${need}"`);
    },
  });
}
