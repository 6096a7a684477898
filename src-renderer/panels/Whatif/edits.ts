/**
 * The scenario editor's model: the edit kinds a person picks from, a sensible new edit of each kind for
 * this scene (from what whatif.info says the model can touch), and a one-line summary of an edit.
 */
import type { Result } from "../../../src-main/common/api/contract";
import type { ScenarioEdit } from "../../../src-main/common/whatif/schema";
import { formatSeconds } from "./format";

export type WhatifInfo = Result<"whatif.info">;

export const EDIT_KINDS = [
  { id: "setpoint", label: "Setpoint change" },
  { id: "disturbance", label: "Disturbance" },
  { id: "lineStop", label: "Line stop (demand)" },
  { id: "parameter", label: "Parameter override" },
  { id: "fasterDegradation", label: "Fault: faster degradation" },
  { id: "valveStuck", label: "Fault: valve stuck" },
  { id: "sensorFailed", label: "Fault: sensor failed" },
] as const;
export type EditKindId = (typeof EDIT_KINDS)[number]["id"];

export function kindOf(e: ScenarioEdit): EditKindId {
  return e.kind === "fault" ? e.fault : e.kind;
}

/** A new edit of a kind at `atS`, filled with this scene's first valid choice; null when the model has none. */
export function newEdit(kind: EditKindId, info: WhatifInfo, atS: number): ScenarioEdit | null {
  switch (kind) {
    case "setpoint": {
      const w = info.writable[0];
      return w ? { kind: "setpoint", atS, tag: w.tagId, value: w.value ?? w.min } : null;
    }
    case "disturbance": {
      const input = info.disturbances[0];
      return input ? { kind: "disturbance", atS, input, offsetK: -3 } : null;
    }
    case "lineStop":
      return { kind: "lineStop", atS, durationS: 600 };
    case "parameter": {
      const l = info.latent[0];
      return l ? { kind: "parameter", atS, name: l.name, value: Math.min(l.max, Math.max(l.min, 0.2)) } : null;
    }
    case "fasterDegradation": {
      const l = info.latent.find((x) => x.rateFactor);
      return l ? { kind: "fault", atS, fault: "fasterDegradation", latent: l.name, factor: 5 } : null;
    }
    case "valveStuck": {
      const tag = info.valves[0];
      return tag ? { kind: "fault", atS, fault: "valveStuck", tag } : null;
    }
    case "sensorFailed": {
      const tag = info.sensors[0];
      return tag ? { kind: "fault", atS, fault: "sensorFailed", tag } : null;
    }
  }
}

/** "at 10 min: bufferTank.temperatureSetpoint → 60" */
export function describeEdit(e: ScenarioEdit): string {
  const at = `at ${formatSeconds(e.atS)}`;
  const lasting = "durationS" in e && e.durationS !== undefined ? ` for ${formatSeconds(e.durationS)}` : "";
  switch (e.kind) {
    case "setpoint":
      return `${at}: ${e.tag} → ${e.value}`;
    case "disturbance":
      return `${at}: ${e.input} ${e.offsetK > 0 ? "+" : ""}${e.offsetK} K${lasting}`;
    case "lineStop":
      return `${at}: line stopped${lasting}`;
    case "parameter":
      return `${at}: ${e.name} = ${e.value}`;
    case "fault":
      if (e.fault === "fasterDegradation") return `${at}: ${e.latent} degrades ${e.factor}× faster`;
      if (e.fault === "valveStuck") return `${at}: valve of ${e.tag} stuck${e.value !== undefined ? ` at ${e.value}` : ""}${lasting}`;
      return `${at}: sensor ${e.tag} failed${e.value !== undefined ? ` reading ${e.value}` : ""}${lasting}`;
  }
}
