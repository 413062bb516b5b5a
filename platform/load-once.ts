/** `load` run at most once; every caller gets its result. */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((e) => {
      loading = undefined; // a failed load is tried again on the next call
      throw e;
    }));
}
