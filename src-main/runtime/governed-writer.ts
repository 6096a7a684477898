/**
 * Hands the plant link's one PlcWriter to governance, in governance's terms: a tag's write goes to the
 * connection the tag is bound to, and the plant layer's staged outcome becomes a PlcWriteResult. Transport
 * failures (no session) reject, so the write path records them as errors and never retries on its own.
 */
import type { PlcWriter as GovernancePlcWriter, PlcWriteResult } from "../governance/plc-writer";
import type { PlcWriter as PlantPlcWriter } from "../plant/plc-writer";
import type { PlantValue } from "../plant/types";

export function governedWriter(writer: PlantPlcWriter, connectionOf: (tagId: string) => string | undefined): GovernancePlcWriter {
  return {
    async write(tagId, nodeId, value): Promise<PlcWriteResult> {
      const connection = connectionOf(tagId);
      if (!connection) throw new Error(`tag ${tagId} is not bound to any connection of this scene`);
      const outcome = await writer.writeTyped(connection, nodeId, value);
      if (outcome.ok) {
        return { written: scalar(outcome.written) ?? value, readBack: scalar(outcome.readBack), confirmed: true, statusName: "Good" };
      }
      if (outcome.stage === "connection") throw new Error(outcome.reason);
      return {
        written: scalar(outcome.written) ?? value,
        readBack: outcome.readBack === undefined ? null : scalar(outcome.readBack),
        confirmed: false,
        // The server's status when it refused; otherwise a Bad name that carries the client's reason.
        statusName: outcome.status ?? `Bad (${outcome.stage}: ${outcome.reason})`,
      };
    },
  };
}

function scalar(v: PlantValue | undefined): number | boolean | null {
  return typeof v === "number" || typeof v === "boolean" ? v : null;
}
