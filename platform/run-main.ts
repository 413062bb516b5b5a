/** Runs a process's main; when it fails, prints why and exits with 1. */
export function runMain(main: () => Promise<unknown>): void {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
