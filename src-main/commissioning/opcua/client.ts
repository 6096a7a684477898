/**
 * OPC UA client sessions for the soft PLC and the suite runner: own PKI folder, loopback, and automatic
 * reconnection (a plant server may drop every session to test a loss of connection). Every call is bounded in
 * time, so a dropped connection shows as a failed read, never as a hang.
 */
import {
  AttributeIds,
  DataType,
  OPCUACertificateManager,
  OPCUAClient,
  StatusCodes,
  Variant,
  VariantArrayType,
  type ClientSession,
  type DataValue,
  type StatusCode,
} from "node-opcua";
import type { TagDataType } from "../../common/scene/schema";
import type { SignalValue } from "../../../src-workers/plant/simulation-types";

export interface ClientLink {
  endpoint: string;
  session: ClientSession;
  /** True while the transport is up (false from a drop until the reconnection). */
  connected(): boolean;
  /** Registers a listener for the reconnection after a drop. */
  onReconnect(listener: () => void): void;
  close(): Promise<void>;
}

/** How long any single request may take before it counts as failed, ms. */
export const REQUEST_TIMEOUT_MS = 3000;

export async function connectClient(endpoint: string, options: { name: string; pkiFolder: string }): Promise<ClientLink> {
  const client = OPCUAClient.create({
    applicationName: options.name,
    endpointMustExist: false,
    requestedSessionTimeout: 60_000,
    // Retry for ever, quickly: a commissioning test drops connections on purpose and expects them back, and
    // the embedded demo's soft PLC starts beside its plant server and connects as soon as that one serves.
    connectionStrategy: { maxRetry: 1_000_000, initialDelay: 50, maxDelay: 250 },
    clientCertificateManager: new OPCUACertificateManager({ rootFolder: options.pkiFolder }),
  });
  let up = true;
  const listeners: (() => void)[] = [];
  client.on("connection_lost", () => (up = false));
  client.on("connection_reestablished", () => {
    up = true;
    for (const l of listeners) l();
  });
  // The first connection must succeed: fail after a few tries rather than retry for ever.
  await withTimeout(client.connect(endpoint), 20_000, `connecting to ${endpoint}`);
  const session = await withTimeout(client.createSession(), 10_000, `opening a session on ${endpoint}`);
  return {
    endpoint,
    session,
    connected: () => up,
    onReconnect: (l) => listeners.push(l),
    async close() {
      await session.close().catch(() => {});
      await client.disconnect().catch(() => {});
    },
  };
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}

/** Reads the Value of many nodes in one request. */
export function readValues(session: ClientSession, nodeIds: readonly string[]): Promise<DataValue[]> {
  if (nodeIds.length === 0) return Promise.resolve([]);
  return withTimeout(
    session.read(nodeIds.map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value }))),
    REQUEST_TIMEOUT_MS,
    "read",
  );
}

const OPCUA_TYPE: Record<TagDataType, DataType> = {
  Double: DataType.Double,
  Float: DataType.Float,
  Int32: DataType.Int32,
  UInt32: DataType.UInt32,
  Boolean: DataType.Boolean,
  DoubleArray: DataType.Double,
};

/** A value as the Variant of a node of `type` (OPC UA does not convert on write). */
export function toVariant(value: SignalValue, type: TagDataType): Variant {
  if (type === "DoubleArray") return new Variant({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: Float64Array.from(value as number[]) });
  if (type === "Boolean") return new Variant({ dataType: DataType.Boolean, value: typeof value === "boolean" ? value : Number(value) !== 0 });
  const n = typeof value === "boolean" ? (value ? 1 : 0) : (value as number);
  return new Variant({ dataType: OPCUA_TYPE[type], value: type === "Int32" || type === "UInt32" ? Math.round(n) : n });
}

/** Writes many values in one request; resolves with a status per value. */
export async function writeValues(session: ClientSession, items: readonly { nodeId: string; value: SignalValue; type: TagDataType }[]): Promise<StatusCode[]> {
  if (items.length === 0) return [];
  return withTimeout(
    session.write(items.map((i) => ({ nodeId: i.nodeId, attributeId: AttributeIds.Value, value: { value: toVariant(i.value, i.type) } }))),
    REQUEST_TIMEOUT_MS,
    "write",
  );
}

/** A DataValue as a plain value (numbers, Booleans or number arrays; undefined when empty) and whether it is Good. A Bad value keeps the value it carries (a held reading). */
export function plainValue(dv: DataValue | undefined): { value: SignalValue | undefined; good: boolean; status: string } {
  if (!dv) return { value: undefined, good: false, status: "BadNoValue" };
  const status = dv.statusCode ?? StatusCodes.Good;
  const v = dv.value?.value as unknown;
  let value: SignalValue | undefined;
  if (typeof v === "number" || typeof v === "boolean") value = v;
  else if (v instanceof Float64Array || v instanceof Float32Array || Array.isArray(v)) value = Array.from(v as ArrayLike<number>);
  return { value, good: status.isGood(), status: status.name };
}

/** A DataValue's text (String nodes); undefined for anything else. */
export function textValue(dv: DataValue | undefined): string | undefined {
  const v = dv?.value?.value as unknown;
  return typeof v === "string" ? v : undefined;
}

/** Calls a method with String / String[] / Double / Double[] arguments; throws with the status name when it fails. */
export async function callMethod(session: ClientSession, objectId: string, methodId: string, args: Variant[]): Promise<Variant[]> {
  const result = await withTimeout(session.call({ objectId, methodId, inputArguments: args }), REQUEST_TIMEOUT_MS, `call ${methodId}`);
  if (!result.statusCode.isGood()) {
    const detail = result.outputArguments?.[0]?.value;
    throw new Error(`${methodId} failed: ${result.statusCode.name}${typeof detail === "string" && detail ? ` (${detail})` : ""}`);
  }
  return result.outputArguments ?? [];
}

export const stringVariant = (value: string) => new Variant({ dataType: DataType.String, value });
export const stringsVariant = (value: readonly string[]) => new Variant({ dataType: DataType.String, arrayType: VariantArrayType.Array, value: [...value] });
export const doubleVariant = (value: number) => new Variant({ dataType: DataType.Double, value });
export const doublesVariant = (value: readonly number[]) => new Variant({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: Float64Array.from(value) });

/**
 * Reads that never pile up: while one read is in flight (a client reconnecting holds its requests until the
 * link is back), a new call waits for that one, at most `waitMs`, instead of sending another. The caller
 * treats `undefined` as "no answer in time": its inputs are stale, as a PLC's are when its fieldbus stalls.
 */
export class PatientReader {
  private inFlight: { key: string; promise: Promise<DataValue[] | undefined> } | undefined;

  constructor(private readonly link: ClientLink) {}

  async read(nodeIds: readonly string[], waitMs: number): Promise<DataValue[] | undefined> {
    const key = nodeIds.join("\n");
    if (!this.inFlight) {
      const promise = readValues(this.link.session, nodeIds).then(
        (v) => v,
        () => undefined,
      );
      const flight = { key, promise };
      this.inFlight = flight;
      void promise.finally(() => {
        if (this.inFlight === flight) this.inFlight = undefined;
      });
    }
    const flight = this.inFlight;
    const result = await Promise.race([flight.promise, new Promise<undefined>((r) => setTimeout(() => r(undefined), waitMs))]);
    // An answer to an older request for other nodes is no answer to this one.
    return result && flight.key === key ? result : undefined;
  }
}
