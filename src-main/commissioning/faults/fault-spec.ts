/**
 * What a fault injection says: which signal, which failure, for how long. One schema for every way a fault
 * arrives (the API behind the UI's fault toggles, the plant server's OPC UA method, a suite's `fault:` step),
 * so they are checked the same way. Pure: no Node, no OPC UA; the schema itself is in the API contract.
 *
 * Sensor faults: `stuck` (frozen at a value, by default the one it had), `offset`, `drift` (an offset growing
 * with time), `noise`, `bad` (dropout: the value holds and its quality turns Bad or Uncertain).
 * Actuator faults: `stuck` (a valve that no longer moves), `trip` (a motor protection trip: the drive is off
 * whatever the PLC commands). Times are plant seconds.
 */
import { z } from "zod";
import { FaultSpec, type FAULT_STATUSES, type FaultKind } from "../../common/api/commissioning";

// The schema is part of the API contract (the UI's fault toggles send it); suites and the OPC UA method share it.
export { FAULT_STATUSES, FaultSpec, type FaultKind, type FaultSpecInput } from "../../common/api/commissioning";
export type FaultStatus = (typeof FAULT_STATUSES)[number];

export const SENSOR_FAULTS: readonly FaultKind[] = ["stuck", "offset", "drift", "noise", "bad"];
export const ACTUATOR_FAULTS: readonly FaultKind[] = ["stuck", "trip"];
/** Faults that change a value by an amount: analog signals only. */
export const ANALOG_FAULTS: readonly FaultKind[] = ["offset", "drift", "noise"];

/** The fault kinds a signal accepts: by role (sensor or actuator) and data type (amounts need an analog value). */
export function faultKindsOf(role: "sensor" | "actuator", dataType: string): FaultKind[] {
  const analog = dataType === "Double" || dataType === "Float" || dataType === "Int32" || dataType === "UInt32";
  return (role === "sensor" ? SENSOR_FAULTS : ACTUATOR_FAULTS).filter((k) => analog || !ANALOG_FAULTS.includes(k));
}

/** A fault as the plant server holds it, for lists in the UI and reports. */
export interface ActiveFault {
  spec: FaultSpec;
  /** `scheduled` until its delay has passed. */
  state: "scheduled" | "active";
  /** Plant time it became (or becomes) active, s. */
  fromS: number;
  /** Plant time it clears itself, s; undefined: until cleared. */
  untilS?: number;
}

/** One line: `bufferTank.level stuck at 1.2`, `feedPump.runCommand trip for 10 s`. */
export function describeFault(spec: FaultSpec): string {
  const what = (() => {
    switch (spec.kind) {
      case "stuck":
        return spec.value === undefined ? "stuck at its present value" : `stuck at ${Array.isArray(spec.value) ? `[${spec.value.join(", ")}]` : String(spec.value)}`;
      case "offset":
        return `offset ${spec.offset >= 0 ? "+" : ""}${spec.offset}`;
      case "drift":
        return `drifting ${spec.ratePerS >= 0 ? "+" : ""}${spec.ratePerS}/s`;
      case "noise":
        return `noise σ ${spec.sd}`;
      case "bad":
        return `bad quality (${spec.status})`;
      case "trip":
        return "tripped";
    }
  })();
  const delay = spec.delayS ? ` after ${spec.delayS} s` : "";
  const duration = spec.durationS ? ` for ${spec.durationS} s` : "";
  return `${spec.tag} ${what}${delay}${duration}`;
}

/** Parses fault specs from JSON text (the plant server's OPC UA method takes them so); throws with the zod message. */
export function parseFaultSpecs(json: string): FaultSpec[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new RangeError(`faults: not JSON: ${(err as Error).message}`);
  }
  const parsed = z.array(FaultSpec).safeParse(Array.isArray(raw) ? raw : [raw]);
  if (!parsed.success) {
    throw new RangeError(`faults: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}
