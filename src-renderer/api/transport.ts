/**
 * Picks how this renderer talks to its host and keeps that link alive.
 *
 * - Inside Electron the preload exposes `window.twinbench` (a PreloadBridge); it never closes.
 * - In a browser (headless host) we open a WebSocket to `/api?token=…` on the page's own host, with the
 *   token taken from the page URL. When the socket closes we report it and retry with backoff (1 s → 10 s).
 *
 * The ApiClient is created once over a transport that survives reconnects, so the rest of the UI holds
 * one client for the whole session; `onTransportState` says when to reload after a reconnect.
 */
import { createApiClient, type ApiClient, type ApiTransport } from "../../src-main/common/api/client";
import type { ServerMessage } from "../../src-main/common/api/contract";

export type TransportKind = "bridge" | "socket";

/** The link to the host, not the plant: the plant's OPC UA connections are in PlantStatus. */
export type TransportState =
  | { phase: "connecting"; attempt: number }
  | { phase: "open" }
  | { phase: "closed"; reason: string; retryAt: number };

interface HostTransport extends ApiTransport {
  readonly kind: TransportKind;
  onState(listener: (state: TransportState) => void): () => void;
  readonly state: TransportState;
}

const BACKOFF_MIN_MS = 1_000;
const BACKOFF_MAX_MS = 10_000;

/** The `token` query parameter of the page URL, or null. */
export function pageToken(): string | null {
  const token = new URLSearchParams(window.location.search).get("token");
  return token && token.length > 0 ? token : null;
}

/** Which transport this page can use; null means a browser page opened without its token. */
export function availableTransport(): TransportKind | null {
  if (window.twinbench) return "bridge";
  return pageToken() ? "socket" : null;
}

function createBridgeTransport(bridge: NonNullable<Window["twinbench"]>): HostTransport {
  const state: TransportState = { phase: "open" };
  return {
    kind: "bridge",
    state,
    send: (message) => bridge.send(message),
    onMessage: (listener) => bridge.onMessage(listener),
    // The IPC bridge lives as long as the window; announce "open" once to whoever subscribes.
    onState(listener) {
      queueMicrotask(() => listener(state));
      return () => {};
    },
  };
}

function createSocketTransport(url: string): HostTransport {
  const messageListeners = new Set<(m: ServerMessage) => void>();
  const closeListeners = new Set<(reason: string) => void>();
  const stateListeners = new Set<(s: TransportState) => void>();
  let socket: WebSocket | null = null;
  let attempt = 0;
  let everOpened = false;
  let current: TransportState = { phase: "connecting", attempt: 0 };

  const setState = (s: TransportState) => {
    current = s;
    for (const l of stateListeners) l(s);
  };

  const open = () => {
    attempt += 1;
    setState({ phase: "connecting", attempt });
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      everOpened = true;
      setState({ phase: "open" });
    };
    ws.onmessage = (event) => {
      if (typeof event.data !== "string") return;
      let message: unknown;
      try {
        message = JSON.parse(event.data);
      } catch {
        return; // the host only sends JSON; anything else is noise we refuse to act on
      }
      if (!isServerMessage(message)) return;
      for (const l of messageListeners) l(message);
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      // Browsers hide why an upgrade failed (a wrong token looks like any refused connection), so say
      // what to check when we never got in at all.
      const reason = !everOpened
        ? "cannot connect: is twinbench still running, and is this the URL it printed?"
        : event.reason || (event.code === 1006 ? "connection lost" : `closed (${event.code})`);
      // Pending requests will never be answered on this socket: let the client fail them now.
      for (const l of closeListeners) l(reason);
      const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.max(0, attempt - 1));
      setState({ phase: "closed", reason, retryAt: Date.now() + delay });
      setTimeout(open, delay);
    };
  };
  open();

  return {
    kind: "socket",
    get state() {
      return current;
    },
    send(message) {
      if (!socket || socket.readyState !== WebSocket.OPEN) throw new Error("not connected to the host");
      socket.send(JSON.stringify(message));
    },
    onMessage(listener) {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
  };
}

/** Shape check only: the payloads are checked where they are used (see api/session.ts). */
function isServerMessage(m: unknown): m is ServerMessage {
  if (typeof m !== "object" || m === null) return false;
  const type = (m as { type?: unknown }).type;
  return type === "event" || type === "response";
}

let transport: HostTransport | null = null;
let client: ApiClient | null = null;

function hostTransport(): HostTransport {
  if (transport) return transport;
  if (window.twinbench) {
    transport = createBridgeTransport(window.twinbench);
  } else {
    const token = pageToken();
    if (!token) throw new Error("no API token in the page URL");
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    transport = createSocketTransport(`${scheme}://${window.location.host}/api?token=${encodeURIComponent(token)}`);
  }
  return transport;
}

/** The one ApiClient of this page, over whichever transport the host provides. */
export function connectApi(): ApiClient {
  if (!client) client = createApiClient(hostTransport());
  return client;
}

/** Follow the link state (connecting / open / closed); called at once with the current state. */
export function onTransportState(listener: (state: TransportState) => void): () => void {
  const t = hostTransport();
  if (t.kind === "socket") listener(t.state);
  return t.onState(listener);
}

export function transportKind(): TransportKind {
  return hostTransport().kind;
}
