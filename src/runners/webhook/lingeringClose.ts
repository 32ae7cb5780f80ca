import type { IncomingMessage } from 'node:http';

/**
 * Closes the connection of a request answered before its body was read whole, so that the client reads the
 * answer. Node ends a `Connection: close` socket and destroys it as soon as the answer is flushed; with request
 * bytes still arriving, that close is a TCP reset, and a reset can wipe the answer out of the client's buffer
 * before it is read. Instead: half-close, drop whatever still comes for at most `lingerMs`, then close.
 */
export function closeAfterAnswer(request: IncomingMessage, lingerMs: number): void {
  const socket = request.socket;
  socket.destroySoon = () => {
    const cut = setTimeout(() => socket.destroy(), lingerMs);
    cut.unref();
    socket.once('close', () => clearTimeout(cut));
    socket.once('end', () => socket.destroy());
    socket.end();
  };
  request.removeAllListeners('data');
  request.resume();
}
