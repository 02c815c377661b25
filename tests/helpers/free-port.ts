import net from 'node:net';

// Ports the kernel hands out on its own (listen(0), and the local end of every outgoing connection, such as
// the suite's many Postgres connections) come from the ephemeral range, 32768–60999 on Linux. A port picked
// there and listened on seconds later can meanwhile be taken by an outgoing connection (EADDRINUSE in CI), so
// the listeners of the suite take theirs below it, where only another freePort call could collide.
const LOWEST = 20_000;
const HIGHEST = 32_767;

function tryListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A loopback port that is free now and outside the kernel's ephemeral range. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = LOWEST + Math.floor(Math.random() * (HIGHEST - LOWEST + 1));
    if (await tryListen(port)) return port;
  }
}
