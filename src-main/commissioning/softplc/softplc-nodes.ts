/**
 * The soft PLC's own folder `<root>.SoftPlc`: its force table (as an engineer forces IO from a PLC's
 * programming tool during IO checkout) and its diagnostics. NodeIds in plant/plant-layout.ts.
 */
import { DataType, StatusCodes, Variant, type AddressSpace, type CallMethodResultOptions, type ISessionContext, type UAObject } from "node-opcua";
import { softPlcNodeIds } from "../plant/plant-layout";

export interface SoftPlcControl {
  defect(): string;
  scans(): number;
  plantConnected(): boolean;
  /** Forces IO signals (Booleans as 0/1); throws a RangeError naming a tag that is not IO. */
  force(tags: string[], values: number[]): void;
  unforce(tags?: string[]): void;
}

export function addSoftPlcNodes(addressSpace: AddressSpace, root: string, control: SoftPlcControl, log: (line: string) => void): void {
  const ns = addressSpace.getOwnNamespace();
  const ids = softPlcNodeIds(root);
  const folder = ns.addFolder(addressSpace.rootFolder.objects, { nodeId: ids.folder, browseName: "SoftPlc", description: "Reference soft PLC: force table and diagnostics" });
  const getter = (nodeId: string, browseName: string, dataType: DataType, get: () => unknown) =>
    ns.addVariable({ componentOf: folder, nodeId, browseName, dataType: DataType[dataType], minimumSamplingInterval: 10, value: { get: () => new Variant({ dataType, value: get() }) } });
  getter(ids.defect, "Defect", DataType.String, () => control.defect());
  getter(ids.scans, "Scans", DataType.UInt32, () => control.scans() >>> 0);
  getter(ids.plantConnected, "PlantConnected", DataType.Boolean, () => control.plantConnected());

  const tagsArg = { name: "Tags", description: { text: "IO signal ids" }, dataType: DataType.String, valueRank: 1, arrayDimensions: [0] };
  const problemArg = [{ name: "Problem", description: { text: "Why the call was refused; empty when it succeeded" }, dataType: DataType.String, valueRank: -1 }];
  const bind = (method: ReturnType<typeof ns.addMethod>, name: string, run: (args: Variant[]) => void) =>
    // node-opcua tells promise functors from callback ones by their arity: two parameters here.
    method.bindMethod(async (args: Variant[], _context: ISessionContext): Promise<CallMethodResultOptions> => {
      try {
        run(args);
        return { statusCode: StatusCodes.Good, outputArguments: [new Variant({ dataType: DataType.String, value: "" })] };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        log(`${name} refused: ${message}`);
        return { statusCode: StatusCodes.BadInvalidArgument, outputArguments: [new Variant({ dataType: DataType.String, value: message })] };
      }
    });
  const strings = (v: Variant | undefined): string[] => (v?.value ? Array.from(v.value as ArrayLike<string>) : []);

  const force = ns.addMethod(folder as UAObject, {
    nodeId: ids.force,
    browseName: "Force",
    description: "Forces IO: an input as the program sees it, an output as the plant receives it (Booleans as 0/1)",
    inputArguments: [tagsArg, { name: "Values", description: { text: "One value per tag" }, dataType: DataType.Double, valueRank: 1, arrayDimensions: [0] }],
    outputArguments: problemArg,
  });
  bind(force, "Force", (args) => {
    const tags = strings(args[0]);
    const values = args[1]?.value ? Array.from(args[1].value as ArrayLike<number>) : [];
    if (tags.length !== values.length) throw new RangeError(`Force: ${tags.length} tags but ${values.length} values`);
    control.force(tags, values);
  });
  const unforce = ns.addMethod(folder as UAObject, { nodeId: ids.unforce, browseName: "Unforce", description: "Removes forces; no tags: all", inputArguments: [tagsArg], outputArguments: problemArg });
  bind(unforce, "Unforce", (args) => {
    const tags = strings(args[0]);
    control.unforce(tags.length > 0 ? tags : undefined);
  });
}
