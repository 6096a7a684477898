/**
 * The plant server's control folder (`<root>.Commissioning`, plant-control-nodes.ts) as typed calls over an
 * OPC UA session: what a suite runner or the workbench's commissioning desk uses to drive the simulated plant.
 * Refusals come back as errors carrying the plant server's own message (which names the signal).
 */
import type { ActiveForce } from "../faults/fault-board";
import type { ActiveFault, FaultSpec } from "../faults/fault-spec";
import { callMethod, doublesVariant, doubleVariant, plainValue, readValues, stringsVariant, stringVariant, textValue, type ClientLink } from "../opcua/client";
import { plantControlNodeIds } from "./plant-layout";

export interface PlantControlClient {
  /** Plant seconds since the plant server started, and its speed factor, in one read. */
  clock(): Promise<{ timeS: number; speed: number }>;
  injectFaults(specs: readonly FaultSpec[]): Promise<void>;
  clearFaults(tags?: readonly string[]): Promise<void>;
  activeFaults(): Promise<ActiveFault[]>;
  force(values: Readonly<Record<string, number>>): Promise<void>;
  unforce(tags?: readonly string[]): Promise<void>;
  activeForces(): Promise<ActiveForce[]>;
  setState(values: Readonly<Record<string, number>>): Promise<void>;
  setSpeed(speed: number): Promise<void>;
  dropConnections(seconds: number): Promise<void>;
}

export function plantControlClient(plant: ClientLink, root: string): PlantControlClient {
  const ids = plantControlNodeIds(root);
  const json = async <T>(nodeId: string): Promise<T[]> => {
    const [v] = await readValues(plant.session, [nodeId]);
    const text = textValue(v);
    return text ? (JSON.parse(text) as T[]) : [];
  };
  return {
    async clock() {
      const [time, speed] = await readValues(plant.session, [ids.simulationTime, ids.speed]);
      const t = plainValue(time).value;
      const s = plainValue(speed).value;
      if (typeof t !== "number" || typeof s !== "number") throw new Error(`${plant.endpoint} has no ${ids.simulationTime}: is it a Twinbench plant server (twinbench serve-plant) for this IO list?`);
      return { timeS: t, speed: s };
    },
    async injectFaults(specs) {
      if (specs.length > 0) await callMethod(plant.session, ids.folder, ids.injectFaults, [stringVariant(JSON.stringify(specs))]);
    },
    async clearFaults(tags) {
      await callMethod(plant.session, ids.folder, ids.clearFaults, [stringsVariant(tags ?? [])]);
    },
    activeFaults: () => json<ActiveFault>(ids.activeFaults),
    async force(values) {
      const tags = Object.keys(values);
      if (tags.length > 0) await callMethod(plant.session, ids.folder, ids.force, [stringsVariant(tags), doublesVariant(tags.map((t) => values[t]!))]);
    },
    async unforce(tags) {
      await callMethod(plant.session, ids.folder, ids.unforce, [stringsVariant(tags ?? [])]);
    },
    activeForces: () => json<ActiveForce>(ids.activeForces),
    async setState(values) {
      const names = Object.keys(values);
      await callMethod(plant.session, ids.folder, ids.setState, [stringsVariant(names), doublesVariant(names.map((n) => values[n]!))]);
    },
    async setSpeed(speed) {
      await callMethod(plant.session, ids.folder, ids.setSpeed, [doubleVariant(speed)]);
    },
    async dropConnections(seconds) {
      await callMethod(plant.session, ids.folder, ids.dropConnections, [doubleVariant(seconds)]);
    },
  };
}
