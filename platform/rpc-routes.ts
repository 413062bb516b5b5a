import type { ConnectRouter } from '@connectrpc/connect';

/**
 * The Connect-RPC routes of a server: their paths, known at start, and the routes themselves,
 * built on the first call (loading protobuf, the descriptors and Connect only then).
 */
export interface RpcRoutes {
  paths: string[];
  load(): Promise<(router: ConnectRouter) => void>;
}
