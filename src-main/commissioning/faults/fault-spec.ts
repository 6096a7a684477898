/**
 * What a fault injection says: which signal, which failure, for how long. One schema for every way a fault
 * arrives (the API behind the UI's fault toggles, the plant server's OPC UA method, a suite's `fault:` step),
 * so they are checked the same way. Pure: no Node, no OPC UA (a candidate for src-main/common).
 *
 * Sensor faults: `stuck` (frozen at a value, by default the one it had), `offset`, `drift` (an offset growing
 * with time), `noise`, `bad` (dropout: the value holds and its quality turns Bad or Uncertain).
 * Actuator faults: `stuck` (a valve that no longer moves), `trip` (a motor protection trip: the drive is off
 * whatever the PLC commands). Times are plant seconds.
 */
import { z } from "zod";

export const FAULT_STATUSES = [
  "BadSensorFailure",
  "BadNoCommunication",
  "BadDeviceFailure",
  "BadOutOfService",
  "UncertainLastUsableValue",
  "UncertainSensorNotAccurate",
] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];

const timing = {
  /** Signal id from the IO list, e.g. `bufferTank.level`. */
  tag: z.string().min(1),
  /** Starts this many plant seconds after the injection (a scheduled fault). */
  delayS: z.number().nonnegative().optional(),
  /** Clears itself after this many plant seconds of being active. */
  durationS: z.number().positive().optional(),
};

export const FaultSpec = z.discriminatedUnion("kind", [
  z.object({ ...timing, kind: z.literal("stuck"), value: z.union([z.number(), z.boolean(), z.array(z.number())]).optional() }).strict(),
  z.object({ ...timing, kind: z.literal("offset"), offset: z.number() }).strict(),
  z.object({ ...timing, kind: z.literal("drift"), ratePerS: z.number() }).strict(),
  z.object({ ...timing, kind: z.literal("noise"), sd: z.number().positive() }).strict(),
  z.object({ ...timing, kind: z.literal("bad"), status: z.enum(FAULT_STATUSES).default("BadSensorFailure") }).strict(),
  z.object({ ...timing, kind: z.literal("trip") }).strict(),
]);
export type FaultSpec = z.infer<typeof FaultSpec>;
export type FaultSpecInput = z.input<typeof FaultSpec>;
export type FaultKind = FaultSpec["kind"];

export const SENSOR_FAULTS: readonly FaultKind[] = ["stuck", "offset", "drift", "noise", "bad"];
export const ACTUATOR_FAULTS: readonly FaultKind[] = ["stuck", "trip"];

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
