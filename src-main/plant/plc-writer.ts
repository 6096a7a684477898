/**
 * The one way to write to a live PLC. A PlantLink hands out a single PlcWriter, once (`takeWriter()`), and
 * the governance layer takes it at wiring time: proposals, approvals and the audit trail sit in front of
 * every setpoint change. Nothing else in the plant layer exports a write function (connections keep their
 * sessions private and give them only to the link that created them), so no panel, API handler or script
 * can write around governance by importing the plant layer.
 */
import type { WriteInput } from "./coerce";
import { DataTypeResolver } from "./data-types";
import type { WriteSession } from "./session-like";
import { TypedWriter, type WriteOutcome } from "./typed-write";

export type { WriteInput, WriteOutcome };

export interface PlcWriter {
  /**
   * Coerces `value` to the node's DataType (or refuses it with a reason), writes it, reads it back and
   * confirms it. Never throws for plant-side problems: the outcome says what happened, at which stage.
   */
  writeTyped(connection: string, nodeId: string, value: WriteInput): Promise<WriteOutcome>;
}

/** A connection's session as the writer sees it; `generation` changes when a new session replaces the old. */
export interface WriterSession {
  session(): WriteSession | undefined;
  generation(): number;
}

/** Builds the writer over a link's connections. Called by PlantLink only. */
export function createPlcWriter(sessionOf: (connection: string) => WriterSession | undefined): PlcWriter {
  const writers = new Map<string, { writer: TypedWriter; generation: number }>();
  return {
    async writeTyped(connection, nodeId, value) {
      const source = sessionOf(connection);
      if (!source) return { ok: false, connection, nodeId, stage: "connection", reason: `no connection "${connection}" in this plant link` };
      let entry = writers.get(connection);
      if (!entry) {
        const session = () => source.session();
        entry = { writer: new TypedWriter(connection, session, new DataTypeResolver(session)), generation: source.generation() };
        writers.set(connection, entry);
      }
      // A new session may be a restarted server with changed nodes: read the node types again.
      if (entry.generation !== source.generation()) {
        entry.writer.forget();
        entry.generation = source.generation();
      }
      return entry.writer.write(nodeId, value);
    },
  };
}
