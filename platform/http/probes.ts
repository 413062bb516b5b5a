/** Whether a path is a health or metrics probe: answered, but neither logged nor traced. */
export const isProbe = (path: string) => path.startsWith('/health') || path === '/metrics';
