/**
 * OPC UA DataValue → PlantSample, and the plant layer's samples, freshness and statuses in the contract's
 * terms: value coercion and the quality flag (good / uncertain / bad with the status code's name) that
 * travels with every value.
 * A NaN or infinite number is never passed on as a reading: it becomes a bad sample that says why.
 * This runs for every notification (tens of thousands a second): the number path allocates one object.
 */
import { DataType, VariantArrayType, type DataValue, type Variant } from "node-opcua";
import type { ConnectionStatus, Quality, TagSample } from "../common/api/contract";
import type { FreshnessChange, PlantConnectionStatus, PlantSample, PlantValue } from "./types";

/** The two top bits of an OPC UA StatusCode give its severity: 00 good, 01 uncertain, 10/11 bad. */
export function qualityOf(statusCodeValue: number): Quality {
  const severity = statusCodeValue >>> 30;
  return severity === 0 ? "good" : severity === 1 ? "uncertain" : "bad";
}

/** Unix ms with the sub-millisecond part (OPC UA picoseconds) as the fraction; null when absent. */
export function timeOf(date: Date | null | undefined, picoseconds: number | null | undefined): number | null {
  if (!date) return null;
  const ms = date.getTime();
  // node-opcua decodes an absent timestamp as the OPC UA epoch minimum (1601): treat it as none.
  if (!(ms > 0)) return null;
  return picoseconds ? ms + picoseconds / 1e9 : ms;
}

export function toPlantSample(tag: number, dv: DataValue, receivedAt: number): PlantSample {
  const code = dv.statusCode;
  const quality = qualityOf(code.value);
  const raw: unknown = dv.value?.value;
  // The common case, tens of thousands a second: a good finite number, no intermediate object made.
  if (quality !== "bad" && typeof raw === "number" && Number.isFinite(raw)) {
    return {
      tag,
      value: raw,
      quality,
      status: code.name,
      statusCode: code.value,
      sourceTs: timeOf(dv.sourceTimestamp, dv.sourcePicoseconds),
      serverTs: timeOf(dv.serverTimestamp, dv.serverPicoseconds),
      receivedAt,
    };
  }
  return slowPlantSample(tag, dv, quality, receivedAt);
}

function slowPlantSample(tag: number, dv: DataValue, severity: Quality, receivedAt: number): PlantSample {
  const code = dv.statusCode;
  let quality = severity;
  let status = code.name;
  const converted = valueOf(dv.value);
  let value = converted.value;
  if (converted.problem !== undefined) {
    status = `${status} (${converted.problem})`;
    quality = "bad";
    value = null;
  }
  // A bad value is never shown as a reading (servers often send the last one along with a Bad code).
  if (quality === "bad") value = null;
  return {
    tag,
    value,
    quality,
    status,
    statusCode: code.value,
    sourceTs: timeOf(dv.sourceTimestamp, dv.sourcePicoseconds),
    serverTs: timeOf(dv.serverTimestamp, dv.serverPicoseconds),
    receivedAt,
  };
}

/** A sample that says a tag has no value, with the status that says why (e.g. a monitored item refused). */
export function badSample(tag: number, status: string, statusCode: number, at: number): PlantSample {
  return { tag, value: null, quality: "bad", status, statusCode, sourceTs: null, serverTs: null, receivedAt: at };
}

const TWO_32 = 4294967296;

function int64(pair: unknown, signed: boolean): number {
  const [high, low] = pair as [number, number];
  const hi = signed && high >= 0x80000000 ? high - TWO_32 : high;
  return hi * TWO_32 + low;
}

/** Variant → plain value, or the reason it cannot be carried. */
export function valueOf(variant: Variant | null | undefined): { value: PlantValue; problem?: string } {
  if (!variant || variant.dataType === DataType.Null) return { value: null };
  const raw: unknown = variant.value;
  if (typeof raw === "number") {
    return Number.isFinite(raw) ? { value: raw } : { value: null, problem: `value ${String(raw)}` };
  }
  if (typeof raw === "boolean" || typeof raw === "string") return { value: raw };
  const type = variant.dataType;
  if (variant.arrayType === VariantArrayType.Scalar) {
    if (type === DataType.Int64 || type === DataType.UInt64) return { value: int64(raw, type === DataType.Int64) };
    if (raw instanceof Date) return { value: raw.getTime() };
    if (raw === null || raw === undefined) return { value: null };
    return { value: null, problem: `a ${DataType[type]} value is not carried` };
  }
  if (variant.arrayType !== VariantArrayType.Array) return { value: null, problem: "a matrix value is not carried" };
  if (type === DataType.Boolean || type === DataType.String) return { value: Array.from(raw as ArrayLike<never>) };
  if (type === DataType.Int64 || type === DataType.UInt64) {
    return { value: Array.from(raw as ArrayLike<unknown>, (p) => int64(p, type === DataType.Int64)) };
  }
  if (ArrayBuffer.isView(raw) || Array.isArray(raw)) {
    const numbers = Array.from(raw as ArrayLike<unknown>, Number);
    if (numbers.some((x) => !Number.isFinite(x))) return { value: null, problem: "the array holds a non-finite value" };
    return { value: numbers };
  }
  return { value: null, problem: `an array of ${DataType[type]} is not carried` };
}

/**
 * The contract's TagSample (what the UI and the tag table take today). `ts` is the source timestamp, or the
 * server's when the device gave none. Values TagSample cannot carry (strings) become bad samples that say so.
 */
export function toTagSample(s: PlantSample): TagSample {
  const ts = s.sourceTs ?? s.serverTs ?? s.receivedAt;
  const v = s.value;
  if (v === null || typeof v === "number" || typeof v === "boolean") return { i: s.tag, v, q: s.quality, status: s.status, ts, rx: s.receivedAt };
  if (Array.isArray(v) && v.every((x) => typeof x === "number")) return { i: s.tag, v: v as number[], q: s.quality, status: s.status, ts, rx: s.receivedAt };
  return { i: s.tag, v: null, q: "bad", status: `${s.status} (a ${typeof v === "string" ? "string" : "non-numeric array"} value: TagSample carries numbers and booleans)`, ts, rx: s.receivedAt };
}

/**
 * Freshness in the contract's terms until it carries freshness itself: a stale tag gets a bad sample naming
 * the reason; a tag that is current again gets its last value re-sent with the time it became current.
 */
export function freshnessTagSamples(change: FreshnessChange, lastSample: (tag: number) => PlantSample | undefined): TagSample[] {
  const out: TagSample[] = [];
  for (const tag of change.tags) {
    if (change.stale) {
      out.push({ i: tag, v: null, q: "bad", status: `${change.status} (${change.reason})`, ts: change.at, rx: change.at });
    } else {
      const last = lastSample(tag);
      if (last) out.push({ ...toTagSample(last), rx: change.at });
    }
  }
  return out;
}

/** A connection's status in the contract's terms of today: the states it lacks map to the nearest it has. */
export function toConnectionStatus(s: PlantConnectionStatus): ConnectionStatus {
  const state = s.state === "stalled" ? "reconnecting" : s.state === "certificate-untrusted" || s.state === "blocked" ? "failed" : s.state;
  return { id: s.id, endpoint: s.endpoint, state, since: s.since, reconnects: s.statistics.reconnects, ...(s.message !== undefined ? { lastError: s.message } : {}) };
}
