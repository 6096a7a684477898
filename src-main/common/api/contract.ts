/**
 * The one API contract between the renderer and the main process.
 *
 * Every request (method → params, result) and every event (name → payload) is declared here with a zod
 * schema. Both transports (Electron IPC and the headless host's WebSocket) carry the same envelopes, the
 * main process validates everything that comes in, and the renderer gets its types from the same schemas.
 */
import { z } from "zod";
import { Scene } from "../scene/schema";
import { commissioningEvents, commissioningRequests } from "./commissioning";
import { connectionsEvents, connectionsRequests } from "./connections";
import { estimationEvents, estimationRequests } from "./estimation";
import { governanceEvents, governanceRequests } from "./governance";
import { historyEvents, historyRequests } from "./history";
import { whatifEvents, whatifRequests } from "./whatif";

export const Quality = z.enum(["good", "uncertain", "bad"]);
export type Quality = z.infer<typeof Quality>;

export const TagValue = z.union([z.number(), z.boolean(), z.array(z.number()), z.null()]);
export type TagValue = z.infer<typeof TagValue>;

/** Static description of a bound tag; `index` is its position in every value batch. */
export const TagInfo = z.object({
  index: z.number().int().nonnegative(),
  id: z.string(),
  assetId: z.string(),
  key: z.string(),
  nodeId: z.string(),
  connection: z.string(),
  dataType: z.string(),
  role: z.string(),
  unit: z.string().optional(),
  range: z.tuple([z.number(), z.number()]).optional(),
  writable: z.boolean(),
  trend: z.boolean(),
  description: z.string().optional(),
});
export type TagInfo = z.infer<typeof TagInfo>;

/** One value of one tag as it reached the runtime. Times are Unix milliseconds. */
export const TagSample = z.object({
  /** Tag index (see TagInfo.index). */
  i: z.number().int().nonnegative(),
  v: TagValue,
  q: Quality,
  /** OPC UA status code name, e.g. Good, BadCommunicationError. */
  status: z.string(),
  /** Source timestamp (from the device), or the server timestamp when the source gave none. */
  ts: z.number(),
  /** When the runtime received it. */
  rx: z.number(),
});
export type TagSample = z.infer<typeof TagSample>;

export const ConnectionState = z.enum(["connecting", "connected", "reconnecting", "disconnected", "failed"]);
export type ConnectionState = z.infer<typeof ConnectionState>;

export const ConnectionStatus = z.object({
  id: z.string(),
  endpoint: z.string(),
  state: ConnectionState,
  /** When the connection entered this state. */
  since: z.number(),
  lastError: z.string().optional(),
  reconnects: z.number().int().nonnegative(),
});
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

export const PlantStatus = z.object({
  connections: z.array(ConnectionStatus),
  /** Value notifications per second over the last few seconds, all tags together. */
  updateRateHz: z.number().nonnegative(),
  /** When the newest value arrived (Unix ms), or null before the first one. */
  lastValueAt: z.number().nullable(),
  /** The host's clock when this status was made, so the UI can compute data age without clock skew. */
  now: z.number(),
});
export type PlantStatus = z.infer<typeof PlantStatus>;

export const AppInfo = z.object({
  name: z.literal("twinbench"),
  version: z.string(),
  host: z.enum(["electron", "headless"]),
  sceneFile: z.string(),
  startedAt: z.number(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const TrendSeries = z.object({
  tagId: z.string(),
  /** Receive times, Unix ms, ascending. */
  t: z.array(z.number()),
  /** Values; null where the sample was bad or not numeric. */
  v: z.array(z.number().nullable()),
});
export type TrendSeries = z.infer<typeof TrendSeries>;

const NoParams = z.object({}).strict();

/** Request methods of the live twin itself: params in, result out. */
export const coreRequests = {
  "app.info": { params: NoParams, result: AppInfo },
  "scene.get": { params: NoParams, result: Scene },
  "tags.list": { params: NoParams, result: z.array(TagInfo) },
  /** The latest sample of every tag that has one. */
  "tags.snapshot": { params: NoParams, result: z.array(TagSample) },
  "plant.status": { params: NoParams, result: PlantStatus },
  /** Recent values kept in memory for the trend chart. */
  "trend.history": {
    params: z
      .object({
        tagIds: z.array(z.string()).min(1).max(32),
        /** Unix ms; omitted means everything kept. */
        since: z.number().optional(),
        maxPoints: z.number().int().min(2).max(10_000).default(2_000),
      })
      .strict(),
    result: z.array(TrendSeries),
  },
} as const;

/** Every request method, by area. Each area's schemas live in a file beside this one; this map is the one contract. */
export const requests = {
  ...coreRequests,
  ...estimationRequests,
  ...governanceRequests,
  ...historyRequests,
  ...connectionsRequests,
  ...whatifRequests,
  ...commissioningRequests,
} as const;

/** Events pushed from main to every connected renderer. */
export const events = {
  /** New samples, batched (a batch per ~50 ms at most). */
  "tags.values": z.object({ samples: z.array(TagSample) }),
  "plant.status": PlantStatus,
  ...estimationEvents,
  ...governanceEvents,
  ...historyEvents,
  ...connectionsEvents,
  ...whatifEvents,
  ...commissioningEvents,
} as const;

export type Requests = typeof requests;
export type Events = typeof events;
export type Method = keyof Requests;
export type EventName = keyof Events;
export type ParamsIn<M extends Method> = z.input<Requests[M]["params"]>;
export type Params<M extends Method> = z.output<Requests[M]["params"]>;
export type Result<M extends Method> = z.output<Requests[M]["result"]>;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const METHODS = Object.keys(requests) as Method[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

// ---- Envelopes: the same on IPC and WebSocket ----

export const RequestMessage = z
  .object({
    type: z.literal("request"),
    id: z.number().int().nonnegative(),
    method: z.string().min(1).max(100),
    params: z.unknown().optional(),
    /** The login session's token (auth.login / auth.setupAdmin); absent before a login. */
    session: z.string().min(1).max(200).optional(),
  })
  .strict();
export type RequestMessage = z.infer<typeof RequestMessage>;

/**
 * `unauthorised`: no session or too small a role; `refused`: a governance rule said no (the issues name the
 * rule and the reason); `failed`: anything else went wrong.
 */
export const ErrorCode = z.enum(["bad_message", "unknown_method", "invalid_params", "failed", "unauthorised", "refused"]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  /** For invalid_params: the path of each offending field and what was expected. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

export type ResponseMessage =
  | { type: "response"; id: number; ok: true; result: unknown }
  | { type: "response"; id: number | null; ok: false; error: ApiErrorBody };
export type EventMessage = { type: "event"; name: EventName; payload: unknown };
export type ServerMessage = ResponseMessage | EventMessage;

/** An error that crosses the contract: the renderer sees its code and message. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ApiErrorBody["issues"],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export { IPC_CHANNEL_PREFIX, IPC_TO_MAIN, IPC_TO_RENDERER } from "./channels";

/** The one global the Electron preload exposes (window.twinbench). */
export interface PreloadBridge {
  send(message: unknown): void;
  onMessage(listener: (message: ServerMessage) => void): () => void;
}
