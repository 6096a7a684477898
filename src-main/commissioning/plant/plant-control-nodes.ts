/**
 * The plant server's control folder `<root>.Commissioning`: the plant clock and speed, the active faults and
 * forces, and methods that inject and clear faults, force and release signals, set plant states and the speed,
 * and drop the connections. This is how a suite (or
 * any OPC UA client: a test harness, a CI script) drives the plant; NodeIds in plant-layout.ts.
 */
import { DataType, StatusCodes, Variant, type AddressSpace, type CallMethodResultOptions, type ISessionContext, type UAObject } from "node-opcua";
import { parseFaultSpecs, type FaultSpec } from "../faults/fault-spec";
import { plantControlNodeIds } from "./plant-layout";

/** What the control nodes act on (implemented by the plant server). */
export interface PlantControl {
  timeS(): number;
  speed(): number;
  faultsJson(): string;
  injectFaults(specs: FaultSpec[]): void;
  clearFaults(tags?: readonly string[]): void;
  setState(name: string, value: number): Promise<void>;
  dropConnections(seconds: number): Promise<void>;
  forcesJson(): string;
  /** All or nothing: throws a RangeError naming the tag when one cannot be forced (none is forced then). */
  force(values: readonly { tag: string; value: number }[]): void;
  unforce(tags?: readonly string[]): void;
  setSpeed(speed: number): Promise<void>;
}

export function addPlantControlNodes(addressSpace: AddressSpace, root: string, control: PlantControl, log: (line: string) => void): void {
  const ns = addressSpace.getOwnNamespace();
  const ids = plantControlNodeIds(root);
  const folder = ns.addFolder(addressSpace.rootFolder.objects, {
    nodeId: ids.folder,
    browseName: "Commissioning",
    description: "Virtual commissioning: the plant clock, fault injection and plant states",
  });
  const getter = (nodeId: string, browseName: string, dataType: DataType, get: () => unknown, description: string) =>
    ns.addVariable({
      componentOf: folder,
      nodeId,
      browseName,
      description,
      dataType: DataType[dataType],
      minimumSamplingInterval: 10,
      value: { get: () => new Variant({ dataType, value: get() }) },
    });
  getter(ids.simulationTime, "SimulationTime", DataType.Double, () => control.timeS(), "Plant seconds since the plant server started");
  getter(ids.speed, "Speed", DataType.Double, () => control.speed(), "How many times faster than real time the plant runs");
  getter(ids.activeFaults, "ActiveFaults", DataType.String, () => control.faultsJson(), "Active and scheduled faults, JSON");
  getter(ids.activeForces, "ActiveForces", DataType.String, () => control.forcesJson(), "Forced signals, JSON [{tag, value}]");

  const method = (
    nodeId: string,
    browseName: string,
    description: string,
    inputs: { name: string; dataType: DataType; array?: boolean; description: string }[],
    run: (args: Variant[]) => Promise<void> | void,
  ) => {
    const m = ns.addMethod(folder as UAObject, {
      nodeId,
      browseName,
      description,
      inputArguments: inputs.map((i) => ({ name: i.name, description: { text: i.description }, dataType: i.dataType, valueRank: i.array ? 1 : -1, ...(i.array ? { arrayDimensions: [0] } : {}) })),
      outputArguments: [{ name: "Problem", description: { text: "Why the call was refused; empty when it succeeded" }, dataType: DataType.String, valueRank: -1 }],
    });
    // node-opcua tells promise functors from callback ones by their arity: two parameters here.
    m.bindMethod(async (args: Variant[], _context: ISessionContext): Promise<CallMethodResultOptions> => {
      try {
        await run(args);
        return { statusCode: StatusCodes.Good, outputArguments: [new Variant({ dataType: DataType.String, value: "" })] };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        log(`${browseName} refused: ${message}`);
        return { statusCode: StatusCodes.BadInvalidArgument, outputArguments: [new Variant({ dataType: DataType.String, value: message })] };
      }
    });
  };

  const strings = (v: Variant | undefined): string[] => (v?.value ? Array.from(v.value as ArrayLike<string>) : []);
  method(ids.injectFaults, "InjectFaults", "Injects faults: a JSON array of {tag, kind, …} (stuck, offset, drift, noise, bad, trip)", [{ name: "Faults", dataType: DataType.String, description: "JSON array of fault specs" }], (args) =>
    control.injectFaults(parseFaultSpecs(String(args[0]?.value ?? "[]"))),
  );
  method(ids.clearFaults, "ClearFaults", "Clears the faults of the given tags; no tags: every fault", [{ name: "Tags", dataType: DataType.String, array: true, description: "Signal ids" }], (args) => {
    const tags = strings(args[0]);
    control.clearFaults(tags.length > 0 ? tags : undefined);
  });
  method(
    ids.setState,
    "SetState",
    "Sets plant states (e.g. bufferTank.level) to reach a situation quickly",
    [
      { name: "Names", dataType: DataType.String, array: true, description: "State names" },
      { name: "Values", dataType: DataType.Double, array: true, description: "Values, one per name" },
    ],
    async (args) => {
      const names = strings(args[0]);
      const values = args[1]?.value ? Array.from(args[1].value as ArrayLike<number>) : [];
      if (names.length !== values.length) throw new RangeError(`SetState: ${names.length} names but ${values.length} values`);
      for (let i = 0; i < names.length; i++) await control.setState(names[i]!, values[i]!);
    },
  );
  method(
    ids.force,
    "Force",
    "Forces simulated signals: a sensor reads the forced value, an actuator obeys it, until released",
    [
      { name: "Tags", dataType: DataType.String, array: true, description: "Signal ids" },
      { name: "Values", dataType: DataType.Double, array: true, description: "Values, one per tag (Booleans as 0/1)" },
    ],
    (args) => {
      const tags = strings(args[0]);
      const values = args[1]?.value ? Array.from(args[1].value as ArrayLike<number>) : [];
      if (tags.length !== values.length) throw new RangeError(`Force: ${tags.length} tags but ${values.length} values`);
      control.force(tags.map((tag, i) => ({ tag, value: values[i]! })));
    },
  );
  method(ids.unforce, "Unforce", "Releases the forces of the given tags; no tags: every force", [{ name: "Tags", dataType: DataType.String, array: true, description: "Signal ids" }], (args) => {
    const tags = strings(args[0]);
    control.unforce(tags.length > 0 ? tags : undefined);
  });
  method(ids.setSpeed, "SetSpeed", "Sets how many times faster than real time the plant runs (0.5 to 10)", [{ name: "Speed", dataType: DataType.Double, description: "Speed factor" }], (args) =>
    control.setSpeed(Number(args[0]?.value)),
  );
  method(ids.dropConnections, "DropConnections", "Closes every connection and stops serving for the given plant seconds (loss of the connection)", [{ name: "Seconds", dataType: DataType.Double, description: "Plant seconds" }], async (args) => {
    const seconds = Number(args[0]?.value);
    if (!(seconds > 0 && seconds <= 3600)) throw new RangeError(`DropConnections: seconds must be in (0, 3600], got ${String(args[0]?.value)}`);
    // Answer first: the caller's own connection is about to go.
    setTimeout(() => void control.dropConnections(seconds).catch((err: unknown) => log(`dropping connections failed: ${String(err)}`)), 20);
  });
}
