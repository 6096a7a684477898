/**
 * The two narrow doors between governance and the plant layer. The OPC UA client implements both; governance
 * and its tests depend on nothing else of it.
 */

export type WriteValue = number | boolean;

export interface PlcWriteResult {
  /** The value sent, in the node's type (e.g. rounded for an integer node). */
  written: WriteValue;
  /** The value read from the node right after the write; null when the read failed. */
  readBack: WriteValue | null;
  /** The client's own view: the write and the read were Good and the values agree. */
  confirmed: boolean;
  /** OPC UA status name of the write, e.g. Good, BadOutOfRange, BadUserAccessDenied. */
  statusName: string;
}

/**
 * Writes one value to one node and reads it back. Rejects for transport errors (no session, timeout in the
 * client). Held only by the GovernedWritePath: nothing else in the workbench may reach a PLC write.
 */
export interface PlcWriter {
  write(tagId: string, nodeId: string, value: WriteValue): Promise<PlcWriteResult>;
}

/** Health of the connection a tag is read and written through. */
export interface ConnectionHealth {
  /** up: connected and publishing; degraded: connected but stalled or late; down: anything else. */
  health: "up" | "degraded" | "down";
  /** For the reason of a refused write, e.g. `plc1 reconnecting (attempt 3)`. */
  detail: string;
}

/**
 * What the interlocks need to know about the plant right now. Synchronous: the runtime answers from its live
 * tag table, so a policy evaluation is a pure function of this snapshot.
 */
export interface PlantConditions {
  connectionState(tagId: string): ConnectionHealth;
  /** Ids of the inputs this tag's decision depends on whose values are stale (empty: all fresh). */
  staleInputs(tagId: string): string[];
  /** Ids of tags related to this one on which the anomaly detector is alarming now (empty: none). */
  anomalyOnRelated(tagId: string): string[];
  /** The tag's current value as last read with Good quality; null when unknown or not Good. */
  currentValue(tagId: string): WriteValue | null;
}
