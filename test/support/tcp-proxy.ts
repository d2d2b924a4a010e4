import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** A TCP proxy on loopback in front of a real server, that can be made to fail the way a network or a host does. */
export interface TcpProxy {
  host: '127.0.0.1';
  port: number;
  /**
   * From now on bytes in both directions, on open and new connections, are silently swallowed: sockets stay open, no
   * RST, no FIN. A server that stops answering. New connections are accepted and nothing is forwarded.
   */
  blackhole(): void;
  /** Destroys every open connection and refuses new ones (accepted, then destroyed at once): a server that is down. */
  refuse(): void;
  /** Back to forwarding, for new connections. Connections opened or caught while blackholed are destroyed. */
  restore(): void;
  /** How many client connections are open now. */
  connections(): number;
  /** Destroys every connection and closes the proxy. */
  close(): Promise<void>;
}

type Mode = 'forward' | 'blackhole' | 'refuse';

interface Pair {
  client: Socket;
  upstream: Socket | undefined;
  /** Whether this connection has been blackholed (it is never forwarded again). */
  swallowed: boolean;
}

function listenOnLoopback(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      if (address && typeof address === 'object') resolve(address.port);
      else reject(new Error('tcp proxy has no port'));
    });
  });
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: Mode = 'forward';
  const pairs = new Set<Pair>();

  const destroy = (pair: Pair): void => {
    pairs.delete(pair);
    pair.client.destroy();
    pair.upstream?.destroy();
  };

  const server = createServer({ allowHalfOpen: true }, (client) => {
    // A socket error (a reset by either side) only ends its connection: the proxy itself keeps going.
    client.on('error', () => {});
    if (mode === 'refuse') {
      client.destroy();
      return;
    }
    const pair: Pair = { client, upstream: undefined, swallowed: false };
    pairs.add(pair);
    client.once('close', () => destroy(pair));
    if (mode === 'blackhole') {
      pair.swallowed = true;
      // Keep reading, so the client's writes never back up, and throw the bytes away.
      client.on('data', () => {});
      return;
    }
    const upstream = createConnection({ host: target.host, port: target.port, allowHalfOpen: true });
    pair.upstream = upstream;
    upstream.on('error', () => {});
    upstream.once('close', () => {
      // A blackholed connection stays open for its client even when the server behind it goes away.
      if (!pair.swallowed) destroy(pair);
    });
    // Forward by hand (not pipe) so that blackholing can cut the flow on connections already open.
    const forward = (from: Socket, to: Socket): void => {
      from.on('data', (chunk: Buffer) => {
        if (pair.swallowed || to.destroyed) return;
        if (!to.write(chunk)) from.pause();
      });
      to.on('drain', () => from.resume());
      from.on('end', () => {
        if (!pair.swallowed && !to.destroyed) to.end();
      });
    };
    forward(client, upstream);
    forward(upstream, client);
  });
  server.on('error', () => {});

  const port = await listenOnLoopback(server);

  return {
    host: '127.0.0.1',
    port,
    blackhole: () => {
      mode = 'blackhole';
      // Open connections keep reading both ways (see `forward`), and now drop what they read.
      for (const pair of pairs) {
        pair.swallowed = true;
        pair.client.resume();
        pair.upstream?.resume();
      }
    },
    refuse: () => {
      mode = 'refuse';
      for (const pair of [...pairs]) destroy(pair);
    },
    restore: () => {
      mode = 'forward';
      for (const pair of [...pairs]) if (pair.swallowed) destroy(pair);
    },
    connections: () => pairs.size,
    close: () =>
      new Promise((resolve) => {
        mode = 'refuse';
        for (const pair of [...pairs]) destroy(pair);
        server.close(() => resolve());
      }),
  };
}
