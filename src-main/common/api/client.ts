/**
 * The one typed client of the API contract, over whichever transport the host provides
 * (Electron preload bridge or WebSocket). No hand-written method per request: `request(method, params)`
 * takes its types from the contract.
 */
import {
  ApiError,
  type EventName,
  type EventPayload,
  type Method,
  type ParamsIn,
  type Result,
  type ServerMessage,
} from "./contract";

/** What the client needs of a transport: send an envelope, hear envelopes back, learn of closing. */
export interface ApiTransport {
  send(message: unknown): void;
  onMessage(listener: (message: ServerMessage) => void): () => void;
  /** Called when the underlying connection closes; pending requests fail (a reconnecting transport may open again). */
  onClose?(listener: (reason: string) => void): () => void;
}

export interface ApiClient {
  request<M extends Method>(method: M, params: ParamsIn<M>, timeoutMs?: number): Promise<Result<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** The login session every later request carries (from auth.login / auth.setupAdmin); undefined logs out. */
  setSession(token: string | undefined): void;
  dispose(): void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export function createApiClient(transport: ApiTransport, defaultTimeoutMs = 15_000): ApiClient {
  let nextId = 1;
  let session: string | undefined;
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventName, Set<(payload: never) => void>>();

  const failAll = (reason: string) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.reject(new ApiError("failed", `connection closed: ${reason}`));
      pending.delete(id);
    }
  };

  const offMessage = transport.onMessage((message) => {
    if (message.type === "event") {
      const set = listeners.get(message.name);
      if (set) for (const l of set) (l as (p: unknown) => void)(message.payload);
      return;
    }
    if (message.id === null) return; // an error about a message too broken to carry an id
    const p = pending.get(message.id);
    if (!p) return;
    pending.delete(message.id);
    clearTimeout(p.timer);
    if (message.ok) p.resolve(message.result);
    else p.reject(new ApiError(message.error.code, message.error.message, message.error.issues));
  });
  const offClose = transport.onClose?.(failAll);

  return {
    request(method, params, timeoutMs = defaultTimeoutMs) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new ApiError("failed", `${method}: no answer within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
        try {
          transport.send(session === undefined ? { type: "request", id, method, params } : { type: "request", id, method, params, session });
        } catch (err) {
          pending.delete(id);
          clearTimeout(timer);
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    setSession(token) {
      session = token;
    },
    dispose() {
      offMessage();
      offClose?.();
      failAll("client disposed");
    },
  };
}
