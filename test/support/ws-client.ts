/** A Node WebSocket transport for the typed API client, as the renderer uses it in the browser. */
import WebSocket from "ws";
import { createApiClient, type ApiClient, type ApiTransport } from "../../src-main/common/api/client";
import type { ServerMessage } from "../../src-main/common/api/contract";

export interface WsApi {
  client: ApiClient;
  socket: WebSocket;
  close(): Promise<void>;
}

/** `session`: a login token every request carries (see test/support/sessions.ts). */
export async function connectWsApi(port: number, token: string, session?: string): Promise<WsApi> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/api?token=${encodeURIComponent(token)}`);
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  const transport: ApiTransport = {
    send: (m) => socket.send(JSON.stringify(m)),
    onMessage(listener) {
      const h = (data: WebSocket.RawData) => listener(JSON.parse(data.toString()) as ServerMessage);
      socket.on("message", h);
      return () => socket.off("message", h);
    },
    onClose(listener) {
      const h = () => listener("socket closed");
      socket.on("close", h);
      return () => socket.off("close", h);
    },
  };
  const client = createApiClient(transport);
  if (session !== undefined) client.setSession(session);
  return {
    client,
    socket,
    close: async () => {
      client.dispose();
      if (socket.readyState === socket.CLOSED) return;
      await new Promise<void>((r) => {
        socket.once("close", () => r());
        socket.close();
      });
    },
  };
}

/** Opens a raw socket and reports how the upgrade ended: "open" or the HTTP status it was refused with. */
export function tryUpgrade(url: string, headers: Record<string, string> = {}): Promise<"open" | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once("open", () => {
      socket.close();
      resolve("open");
    });
    socket.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    socket.once("error", (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}

/**
 * Logs a WebSocket client in as the workbench's first administrator: creates it when the workbench is on its
 * first run (as the first-run page does), otherwise logs in. Returns the session token.
 */
export async function logInAsAdmin(api: WsApi, username = "admin", password = "correct horse battery"): Promise<string> {
  const who = await api.client.request("auth.whoami", {});
  const grant = who.setupRequired ? await api.client.request("auth.setupAdmin", { username, password }) : await api.client.request("auth.login", { username, password });
  api.client.setSession(grant.token);
  return grant.token;
}
