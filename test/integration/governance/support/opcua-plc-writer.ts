/**
 * PlcWriter and PlantConditions over a real node-opcua client session, for the integration tests (the product's
 * implementation belongs to the OPC UA client layer). Writes the value in the tag's OPC UA type, then reads
 * the node back.
 */
import { AttributeIds, DataType, Variant, type ClientSession } from "node-opcua";
import type { Scene, TagDataType } from "../../../../src-main/common/scene/schema";
import type { ConnectionHealth, PlantConditions, PlcWriter, PlcWriteResult, WriteValue } from "../../../../src-main/governance/plc-writer";
import { PolicyBook } from "../../../../src-main/governance/policy-book";

const TYPES: Partial<Record<TagDataType, DataType>> = {
  Double: DataType.Double,
  Float: DataType.Float,
  Int32: DataType.Int32,
  UInt32: DataType.UInt32,
  Boolean: DataType.Boolean,
};

export class OpcUaPlcWriter implements PlcWriter {
  private readonly types = new Map<string, TagDataType>();

  constructor(
    private readonly session: ClientSession,
    scene: Scene,
  ) {
    for (const t of PolicyBook.fromScene(scene).tags()) this.types.set(t.tagId, t.dataType);
  }

  async write(tagId: string, nodeId: string, value: WriteValue): Promise<PlcWriteResult> {
    const dataType = TYPES[this.types.get(tagId) ?? "DoubleArray"];
    if (dataType === undefined) throw new Error(`${tagId}: not a scalar writable tag`);
    const status = await this.session.write({ nodeId, attributeId: AttributeIds.Value, value: { value: new Variant({ dataType, value }) } });
    const read = await this.session.read({ nodeId, attributeId: AttributeIds.Value });
    const readBack = read.statusCode.isGood() ? (read.value.value as WriteValue) : null;
    return { written: value, readBack, confirmed: status.isGood() && readBack === value, statusName: status.name };
  }
}

/**
 * A PLC that silently clamps: it accepts the write with Good status but keeps at most `max` (it writes the
 * clamped value to the real PLC). Records every call, to prove there is no retry.
 */
export class SilentlyClampingPlc implements PlcWriter {
  calls: { tagId: string; value: WriteValue }[] = [];
  clamp: { tagId: string; max: number } | null = null;

  constructor(private readonly inner: PlcWriter) {}

  write(tagId: string, nodeId: string, value: WriteValue): Promise<PlcWriteResult> {
    this.calls.push({ tagId, value });
    const c = this.clamp;
    const stored = c && c.tagId === tagId && typeof value === "number" ? Math.min(value, c.max) : value;
    return this.inner.write(tagId, nodeId, stored);
  }
}

/** Plant conditions from the PLC: values read on `refresh()`, the link up while the session is. */
export class PolledPlant implements PlantConditions {
  private readonly values = new Map<string, WriteValue | null>();
  private readonly tags: { tagId: string; nodeId: string }[];

  constructor(
    private readonly session: ClientSession,
    scene: Scene,
  ) {
    this.tags = PolicyBook.fromScene(scene).tags();
  }

  async refresh(): Promise<void> {
    const reads = await this.session.read(this.tags.map((t) => ({ nodeId: t.nodeId, attributeId: AttributeIds.Value })));
    this.tags.forEach((t, i) => {
      const dv = reads[i]!;
      this.values.set(t.tagId, dv.statusCode.isGood() ? (dv.value.value as WriteValue) : null);
    });
  }

  connectionState(): ConnectionHealth {
    return { health: "up", detail: "plc1 session open" };
  }
  staleInputs(): string[] {
    return [];
  }
  anomalyOnRelated(): string[] {
    return [];
  }
  currentValue(tagId: string): WriteValue | null {
    return this.values.get(tagId) ?? null;
  }
}
