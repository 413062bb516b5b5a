import { Socket } from 'node:net';

/**
 * A socket that sends everything written to it in one turn of the event loop as one write.
 * node-postgres writes each message of a query on its own (parse, bind, describe, execute, sync:
 * five system calls, and with no delay five packets, for one query); corked until the next
 * tick, they go out together in one `writev`.
 */
export function oneWriteSocket(): Socket {
  const socket = new Socket();
  const { connect, write } = socket;
  const writeInOne = function (this: Socket, ...args: Parameters<typeof write>) {
    if (!this.writableCorked) {
      this.cork();
      process.nextTick(() => this.uncork());
    }
    return write.apply(this, args);
  } as typeof write;
  // connect() puts back the socket's own write (node's net.js), so ours goes in after it.
  socket.connect = function (this: Socket, ...args: Parameters<typeof connect>) {
    const connecting = connect.apply(this, args);
    this.write = writeInOne;
    return connecting;
  } as typeof connect;
  return socket;
}
