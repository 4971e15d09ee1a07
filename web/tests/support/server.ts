// A real HTTP server on 127.0.0.1 that answers fixed documents, for tests of the fetching code.

import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface Reply {
  status?: number;
  body: unknown;
  contentType?: string;
}

export interface FixtureServer {
  base: string;
  requests: string[];
  close: () => Promise<void>;
}

/** Serves `routes` (path with query → reply); anything else is a 404 error document. */
export async function startFixtureServer(routes: Record<string, Reply>): Promise<FixtureServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = req.url ?? "/";
    requests.push(url);
    const reply = routes[url] ?? routes[url.split("?")[0]];
    res.setHeader("Access-Control-Allow-Origin", "*");
    if (!reply) {
      res.writeHead(404, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: { code: "not_found", message: `no object for ${url}`, parameter: null } }));
      return;
    }
    res.writeHead(reply.status ?? 200, { "Content-Type": reply.contentType ?? "application/json" });
    res.end(typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
