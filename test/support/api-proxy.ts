/**
 * A loopback HTTP proxy in front of a simulator, for tests that need something to happen on
 * the API between a client's request and its answer (e.g. another run creating a batch while a
 * create is in flight). Every request is forwarded unchanged unless `onCreate` answers a batch
 * create itself.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** A create request's body, as the client sent it. */
export interface CreateBody {
  requests: { custom_id: string; params: Record<string, unknown> }[];
}

/** The proxy's own answer to a create, instead of forwarding it. */
export interface ProxyAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface ApiProxy {
  url: string;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const HOP_BY_HOP = new Set([
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "keep-alive",
]);

/** Starts a proxy to `target`; `onCreate` may answer a POST /v1/messages/batches itself. */
export async function startProxy(
  target: string,
  onCreate: (body: CreateBody) => Promise<ProxyAnswer | undefined>,
): Promise<ApiProxy> {
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const path = req.url ?? "/";
      if (req.method === "POST" && path.replace(/\?.*$/, "") === "/v1/messages/batches") {
        const answer = await onCreate(JSON.parse(body.toString("utf8")) as CreateBody);
        if (answer) {
          res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
          res.end(JSON.stringify(answer.body));
          return;
        }
      }
      const headers = Object.entries(req.headers).flatMap(([k, v]) =>
        HOP_BY_HOP.has(k) || v === undefined ? [] : [[k, String(v)] as [string, string]],
      );
      const method = req.method ?? "GET";
      const upstream = await fetch(`${target}${path}`, {
        method,
        headers,
        ...(method === "GET" || method === "DELETE" ? {} : { body }),
      });
      const out: Record<string, string> = {};
      upstream.headers.forEach((v, k) => {
        if (!HOP_BY_HOP.has(k)) out[k] = v;
      });
      res.writeHead(upstream.status, out);
      res.end(Buffer.from(await upstream.arrayBuffer()));
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
