/**
 * The test rig a suite runs on: a session on the plant server and one on the PLC, and the plant server's
 * control methods (faults, plant states, connection loss) and the PLC's force table, as typed calls.
 */
import { join } from "node:path";
import type { SignalValue } from "../../../src-workers/plant/simulation-types";
import type { ActiveFault, FaultSpec } from "../faults/fault-spec";
import { callMethod, connectClient, doublesVariant, stringsVariant, writeValues, type ClientLink } from "../opcua/client";
import { plantControlClient } from "../plant/plant-client";
import { softPlcNodeIds } from "../plant/plant-layout";
import type { ResolvedTag } from "./tag-directory";

export interface Rig {
  plant: ClientLink;
  plc: ClientLink;
  /** Folder prefix of the commissioning nodes on both servers. */
  root: string;
  /** Plant speed factor when the rig connected. */
  speed: number;
  injectFaults(specs: readonly FaultSpec[]): Promise<void>;
  clearFaults(tags?: readonly string[]): Promise<void>;
  activeFaults(): Promise<ActiveFault[]>;
  setState(values: Record<string, number>): Promise<void>;
  dropConnections(seconds: number): Promise<void>;
  /** Forces IO in the PLC's force table; rejects when the PLC has none. */
  force(values: Record<string, number>): Promise<void>;
  unforce(tags?: readonly string[]): Promise<void>;
  /** Writes operator tags at the PLC; rejects naming the tag and the status when the PLC refuses one. */
  writePlc(items: readonly { tag: ResolvedTag; id: string; value: SignalValue }[]): Promise<void>;
  close(): Promise<void>;
}

export async function connectRig(options: { plantEndpoint: string; plcEndpoint: string; root: string; pkiFolder: string }): Promise<Rig> {
  const plant = await connectClient(options.plantEndpoint, { name: "twinbench-commission-plant", pkiFolder: join(options.pkiFolder, "plant") });
  let plc: ClientLink;
  try {
    plc = await connectClient(options.plcEndpoint, { name: "twinbench-commission-plc", pkiFolder: join(options.pkiFolder, "plc") });
  } catch (err) {
    await plant.close();
    throw err;
  }
  const control = plantControlClient(plant, options.root);
  const softPlc = softPlcNodeIds(options.root);
  let speed: number;
  try {
    speed = (await control.clock()).speed;
  } catch (err) {
    await Promise.all([plant.close(), plc.close()]);
    throw err;
  }
  return {
    plant,
    plc,
    root: options.root,
    speed,
    injectFaults: (specs) => control.injectFaults(specs),
    clearFaults: (tags) => control.clearFaults(tags),
    activeFaults: () => control.activeFaults(),
    setState: (values) => control.setState(values),
    dropConnections: (seconds) => control.dropConnections(seconds),
    async force(values) {
      const tags = Object.keys(values);
      try {
        await callMethod(plc.session, softPlc.folder, softPlc.force, [stringsVariant(tags), doublesVariant(tags.map((t) => values[t]!))]);
      } catch (err) {
        const message = (err as Error).message;
        if (/BadNodeIdUnknown|BadMethodInvalid|BadNodeIdInvalid/.test(message)) throw new NoForceTable(options.plcEndpoint, softPlc.force);
        throw err;
      }
    },
    async unforce(tags) {
      await callMethod(plc.session, softPlc.folder, softPlc.unforce, [stringsVariant(tags ?? [])]).catch(() => {});
    },
    async writePlc(items) {
      const statuses = await writeValues(plc.session, items.map((i) => ({ nodeId: i.tag.nodeId, value: i.value, type: i.tag.dataType })));
      const refused = statuses.map((s, i) => ({ s, item: items[i]! })).filter(({ s }) => !s.isGood());
      if (refused.length > 0) throw new Error(`the PLC refused ${refused.map(({ s, item }) => `${item.id} = ${JSON.stringify(item.value)} (${s.name})`).join(", ")}`);
    },
    async close() {
      await Promise.all([plant.close(), plc.close()]);
    },
  };
}

/** The PLC offers no force table: outputs cannot be driven from the rig. */
export class NoForceTable extends Error {
  constructor(endpoint: string, nodeId: string) {
    super(`the PLC at ${endpoint} has no force table (${nodeId}): force the outputs from its programming tool`);
    this.name = "NoForceTable";
  }
}
