/**
 * A typed write to one node: the node's DataType and ValueRank are read once (then cached), the value is
 * coerced or refused, written, and read back to confirm. Every outcome names the node, its DataType and the
 * value, because it ends up in the audit trail of a setpoint change.
 *
 * Only plc-writer.ts may import this module (a unit test checks it): writes reach a PLC through the one
 * PlcWriter object the governance layer holds, never from anywhere else.
 */
import { AttributeIds, DataType } from "node-opcua";
import { coerceForWrite, sameAsWritten, type WriteInput } from "./coerce";
import type { DataTypeResolver, NodeType } from "./data-types";
import { valueOf } from "./quality";
import type { SessionSource, WriteSession } from "./session-like";
import type { PlantValue } from "./types";

export type WriteStage = "connection" | "node" | "access" | "coerce" | "write" | "read-back";

export type WriteOutcome =
  | { ok: true; connection: string; nodeId: string; dataType: string; written: PlantValue; readBack: PlantValue; roundTripMs: number }
  | {
      ok: false;
      connection: string;
      nodeId: string;
      stage: WriteStage;
      reason: string;
      dataType?: string;
      status?: string;
      /** Set when the write went through but the read-back differs: what was sent and what came back. */
      written?: PlantValue;
      readBack?: PlantValue;
    };

const CURRENT_WRITE = 0x02;

export class TypedWriter {
  private readonly types = new Map<string, NodeType>();

  constructor(
    private readonly connection: string,
    private readonly session: SessionSource<WriteSession>,
    private readonly resolver: DataTypeResolver,
  ) {}

  /** Forgets cached node types (after reconnecting to a server that may have been changed). */
  forget(): void {
    this.types.clear();
    this.resolver.clear();
  }

  async write(nodeId: string, value: WriteInput): Promise<WriteOutcome> {
    const started = performance.now();
    const base = { ok: false as const, connection: this.connection, nodeId };
    const shown = JSON.stringify(value instanceof Date ? value.toISOString() : value);
    const session = this.session();
    if (!session) return { ...base, stage: "connection", reason: `cannot write ${shown} to ${nodeId}: connection ${this.connection} is not connected` };

    let type = this.types.get(nodeId);
    if (!type) {
      try {
        type = await this.resolver.nodeType(nodeId);
      } catch (err) {
        return { ...base, stage: "node", reason: `cannot write ${shown} to ${nodeId}: ${message(err)}` };
      }
      this.types.set(nodeId, type);
    }
    const what = `${nodeId} (${type.dataType}${type.valueRank >= 1 ? "[]" : ""})`;
    if (!(type.accessLevel & CURRENT_WRITE) || !(type.userAccessLevel & CURRENT_WRITE)) {
      const who = type.accessLevel & CURRENT_WRITE ? "for this user" : "";
      return { ...base, stage: "access", dataType: type.dataType, reason: `cannot write ${shown} to ${what}: the node is not writable ${who}`.trimEnd() };
    }
    const coerced = coerceForWrite(value, type);
    if (!coerced.ok) return { ...base, stage: "coerce", dataType: type.dataType, reason: `cannot write ${shown} to ${what}: ${coerced.reason}` };

    try {
      const [status] = await session.write([{ nodeId, attributeId: AttributeIds.Value, value: { value: coerced.variant } }]);
      if (!status || status.isNotGood()) {
        return { ...base, stage: "write", dataType: type.dataType, status: status?.name, reason: `the server refused ${shown} for ${what}: ${status?.name ?? "no status"}` };
      }
    } catch (err) {
      return { ...base, stage: "write", dataType: type.dataType, reason: `writing ${shown} to ${what} failed: ${message(err)}` };
    }

    let readBack: PlantValue;
    try {
      const [dv] = await session.read([{ nodeId, attributeId: AttributeIds.Value }]);
      if (!dv || dv.statusCode.isNotGood()) {
        return { ...base, stage: "read-back", dataType: type.dataType, status: dv?.statusCode.name, reason: `${shown} was written to ${what} but reading it back gave ${dv?.statusCode.name ?? "nothing"}` };
      }
      readBack = valueOf(dv.value).value;
    } catch (err) {
      return { ...base, stage: "read-back", dataType: type.dataType, reason: `${shown} was written to ${what} but reading it back failed: ${message(err)}` };
    }
    if (!sameAsWritten(coerced.expected, readBack, type.builtin)) {
      const tolerance = type.builtin === DataType.Float ? " (Float compared at single precision)" : "";
      return {
        ...base,
        stage: "read-back",
        dataType: type.dataType,
        status: "Good",
        written: coerced.expected,
        readBack,
        reason: `${shown} was written to ${what} but ${JSON.stringify(readBack)} was read back${tolerance}: the device changed or limited it`,
      };
    }
    return { ok: true, connection: this.connection, nodeId, dataType: type.dataType, written: coerced.expected, readBack, roundTripMs: performance.now() - started };
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
