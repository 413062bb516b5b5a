/** What a keyed change asked for, to tell its retry (the same request) from another request reusing the key. */
export const requestOf = (change: 'add' | 'remove', productId: string, quantity?: number) =>
  JSON.stringify([change, productId, quantity ?? null]);
