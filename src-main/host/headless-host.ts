/**
 * The headless host: the same renderer and API as the Electron window, served on 127.0.0.1.
 *
 * Who may drive the plant: only a client that knows the per-run secret token (in the page URL, sent on
 * the WebSocket URL), from a page of this origin. The Host header is checked too, so a DNS-rebinding page
 * cannot reach the API under another name. Static files carry a strict Content-Security-Policy.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve, sep } from "node:path";
import { WebSocketServer, type WebSocket } from "ws";
import { EVENT_NAMES, type EventMessage, type EventName, type TagSample } from "../common/api/contract";
import { CONTENT_SECURITY_POLICY } from "../common/security";
import { createDispatcher, type CallContext } from "./dispatcher";
import type { TwinRuntime } from "../runtime/twin-runtime";

export interface HeadlessHostOptions {
  runtime: TwinRuntime;
  /** Folder of the built renderer (index.html and assets). */
  rendererDir: string;
  port: number;
  /** Defaults to a fresh random token. */
  token?: string;
  log?(line: string): void;
}

export interface HeadlessHost {
  url: string;
  port: number;
  token: string;
  /** Number of API clients connected now. */
  clients(): number;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".map": "application/json",
};

/** Above this many bytes waiting in a socket, live values for that client are coalesced (latest per tag). */
const BACKLOG_BYTES = 2_000_000;

export async function startHeadlessHost(options: HeadlessHostOptions): Promise<HeadlessHost> {
  const token = options.token ?? randomBytes(24).toString("base64url");
  const tokenBytes = Buffer.from(token);
  const rendererDir = resolve(options.rendererDir);
  if (!existsSync(join(rendererDir, "index.html"))) {
    throw new Error(`the renderer is not built: ${join(rendererDir, "index.html")} is missing (run npm run build)`);
  }
  const dispatcher = createDispatcher(options.runtime.handlers, (err, method) =>
    options.log?.(`api ${method}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
  );
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const server: Server = createServer((req, res) => {
    if (!allowedHosts().has(req.headers.host ?? "")) return plain(res, 421, "unknown Host header");
    if (req.method !== "GET" && req.method !== "HEAD") return plain(res, 405, "method not allowed");
    serveStatic(rendererDir, req, res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1_000_000 });
  server.on("upgrade", (req, socket, head) => {
    const refuse = (status: number, why: string) => {
      socket.end(`HTTP/1.1 ${status} ${why}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== "/api") return refuse(404, "Not Found");
    if (!allowedHosts().has(req.headers.host ?? "")) return refuse(421, "Misdirected Request");
    const given = Buffer.from(url.searchParams.get("token") ?? "");
    if (given.length !== tokenBytes.length || !timingSafeEqual(given, tokenBytes)) {
      options.log?.(`refused an API connection without the right token from ${req.socket.remoteAddress}`);
      return refuse(401, "Unauthorized");
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts().has(origin.replace(/^https?:\/\//, ""))) {
      options.log?.(`refused an API connection from origin ${origin}`);
      return refuse(403, "Forbidden");
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachClient(ws));
  });

  let connections = 0;
  function attachClient(ws: WebSocket): void {
    const ctx: CallContext = { connectionId: `ws:${++connections}`, transport: "ws" };
    const backlog = new Map<number, TagSample>();
    const send = (message: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const unsubscribe = EVENT_NAMES.map((name: EventName) =>
      options.runtime.on(name, (payload) => {
        // Events carry plant data: only a connection that is logged in gets them.
        if (!options.runtime.mayReceiveEvents(ctx.session)) return;
        if (name === "tags.values") {
          // A slow client gets the newest value of each tag rather than an unbounded queue.
          const samples = (payload as { samples: TagSample[] }).samples;
          if (ws.bufferedAmount > BACKLOG_BYTES || backlog.size > 0) {
            for (const s of samples) backlog.set(s.i, s);
            if (ws.bufferedAmount > BACKLOG_BYTES) return;
            const merged: EventMessage = { type: "event", name, payload: { samples: [...backlog.values()] } };
            backlog.clear();
            return send(merged);
          }
        }
        send({ type: "event", name, payload } satisfies EventMessage);
      }),
    );
    ws.on("message", (data, isBinary) => {
      if (isBinary) {
        send({ type: "response", id: null, ok: false, error: { code: "bad_message", message: "binary frames are not accepted; send JSON text" } });
        return;
      }
      void dispatcher.handle(data.toString(), ctx).then(send);
    });
    ws.on("close", () => unsubscribe.forEach((off) => off()));
    ws.on("error", (err) => options.log?.(`api client error: ${err.message}`));
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/?token=${token}`;

  return {
    url,
    port,
    token,
    clients: () => wss.clients.size,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  res.end(text);
}

function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): void {
  const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
  const relative = pathname === "/" ? "index.html" : pathname.slice(1);
  const file = normalize(join(root, relative));
  if (file !== root && !file.startsWith(root + sep)) return plain(res, 403, "forbidden");
  let target = file;
  if (!existsSync(target) || !statSync(target).isFile()) {
    // Unknown paths without an extension are app routes: answer with the app.
    if (extname(pathname) !== "") return plain(res, 404, `not found: ${pathname}`);
    target = join(root, "index.html");
  }
  const type = MIME[extname(target)] ?? "application/octet-stream";
  res.writeHead(200, {
    "content-type": type,
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cache-control": type.startsWith("text/html") ? "no-store" : "max-age=3600",
  });
  if (req.method === "HEAD") return void res.end();
  createReadStream(target).pipe(res);
}
