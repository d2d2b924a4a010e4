import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

/** A tiny echo server on loopback. */
async function startEcho(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('echo server has no port');
  return { server, port: address.port };
}

async function connect(proxy: TcpProxy): Promise<Socket> {
  const socket = createConnection({ host: proxy.host, port: proxy.port });
  socket.on('error', () => {});
  await once(socket, 'connect');
  return socket;
}

/** Writes `text` and resolves with what comes back within `ms` (possibly nothing), and whether the socket closed. */
async function roundTrip(socket: Socket, text: string, ms: number): Promise<{ echoed: string; closed: boolean }> {
  let echoed = '';
  let closed = socket.destroyed;
  const onData = (chunk: Buffer): void => {
    echoed += chunk.toString();
  };
  const onClose = (): void => {
    closed = true;
  };
  socket.on('data', onData);
  socket.once('close', onClose);
  socket.once('end', onClose);
  if (!socket.destroyed) socket.write(text);
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && echoed.length < text.length && !closed) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  socket.off('data', onData);
  socket.off('close', onClose);
  socket.off('end', onClose);
  return { echoed, closed };
}

describe('startTcpProxy', () => {
  let echo: { server: Server; port: number };
  let proxy: TcpProxy;
  const clients: Socket[] = [];

  beforeAll(async () => {
    echo = await startEcho();
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await proxy.close();
  });

  afterAll(async () => {
    await new Promise((resolve) => echo.server.close(resolve));
  });

  const open = async (): Promise<Socket> => {
    const socket = await connect(proxy);
    clients.push(socket);
    return socket;
  };

  it('forwards both ways', async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: echo.port });
    const socket = await open();
    expect(await roundTrip(socket, 'hello', 1000)).toEqual({ echoed: 'hello', closed: false });
    expect(proxy.connections()).toBe(1);
  });

  it('blackholes open and new connections: no echo, and the socket stays open', async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: echo.port });
    const before = await open();
    expect((await roundTrip(before, 'ping', 1000)).echoed).toBe('ping');
    proxy.blackhole();
    const after = await open();
    const [old, fresh] = await Promise.all([roundTrip(before, 'lost', 300), roundTrip(after, 'lost', 300)]);
    expect(old).toEqual({ echoed: '', closed: false });
    expect(fresh).toEqual({ echoed: '', closed: false });
    expect(proxy.connections()).toBe(2);
  });

  it('refuses: open connections are closed, and new ones are closed at once', async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: echo.port });
    const before = await open();
    expect((await roundTrip(before, 'ping', 1000)).echoed).toBe('ping');
    const closed = once(before, 'close');
    proxy.refuse();
    await closed;
    const after = createConnection({ host: proxy.host, port: proxy.port });
    after.on('error', () => {});
    clients.push(after);
    await once(after, 'close');
    expect(proxy.connections()).toBe(0);
  });

  it('restores forwarding for new connections after a blackhole or a refusal', async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: echo.port });
    proxy.blackhole();
    const swallowed = await open();
    expect((await roundTrip(swallowed, 'lost', 100)).echoed).toBe('');
    proxy.restore();
    expect((await roundTrip(await open(), 'back', 1000)).echoed).toBe('back');
    proxy.refuse();
    proxy.restore();
    expect(await roundTrip(await open(), 'again', 1000)).toEqual({ echoed: 'again', closed: false });
  });
});
