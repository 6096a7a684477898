/**
 * OPC UA DataValue → TagSample: value coercion and the quality flag that travels with every value.
 * A NaN or infinite number is never passed on as a number: it becomes a bad sample that says why.
 */
import type { DataValue } from "node-opcua";
import type { Quality, TagSample, TagValue } from "../common/api/contract";

/** The two top bits of an OPC UA StatusCode give its severity: 00 good, 01 uncertain, 10/11 bad. */
export function qualityOf(statusCodeValue: number): Quality {
  const severity = statusCodeValue >>> 30;
  return severity === 0 ? "good" : severity === 1 ? "uncertain" : "bad";
}

export function toTagSample(index: number, dv: DataValue, receivedAt: number): TagSample {
  const status = dv.statusCode;
  let q = qualityOf(status.value);
  let statusName = status.name;
  const raw: unknown = dv.value?.value;
  let v: TagValue = null;
  if (typeof raw === "boolean") v = raw;
  else if (typeof raw === "number") v = raw;
  else if (typeof raw === "bigint") v = Number(raw);
  else if (ArrayBuffer.isView(raw) || Array.isArray(raw)) v = Array.from(raw as ArrayLike<number>, Number);
  else if (raw !== null && raw !== undefined) {
    q = "bad";
    statusName = `${statusName} (unsupported value type ${typeof raw})`;
  }
  if (typeof v === "number" && !Number.isFinite(v)) {
    statusName = `${statusName} (value ${String(v)})`;
    v = null;
    q = "bad";
  } else if (Array.isArray(v) && v.some((x) => !Number.isFinite(x))) {
    statusName = `${statusName} (array holds a non-finite value)`;
    v = null;
    q = "bad";
  }
  if (q === "bad" && v !== null && status.value !== 0) v = null; // a bad value is never shown as a reading
  const ts = dv.sourceTimestamp?.getTime() ?? dv.serverTimestamp?.getTime() ?? receivedAt;
  return { i: index, v, q, status: statusName, ts, rx: receivedAt };
}
