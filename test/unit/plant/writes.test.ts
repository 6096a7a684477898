// Typed writes without a server: coercion rules, read-back comparison, and the writer's stages against a
// fake session (DataType read once, refusals, the server's status, a value the device changed).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AttributeIds, DataType, DataValue, NodeClass, StatusCodes, Variant, VariantArrayType, coerceNodeId, type WriteValueOptions } from "node-opcua";
import { coerceForWrite, sameAsWritten } from "../../../src-main/plant/coerce";
import { createPlcWriter } from "../../../src-main/plant/plc-writer";
import type { WriteSession } from "../../../src-main/plant/session-like";

const reason = (value: unknown, builtin: DataType, valueRank = -1, arrayDimensions: number[] = []) => {
  const r = coerceForWrite(value, { builtin, valueRank, arrayDimensions });
  return r.ok ? "accepted" : r.reason;
};

describe("coerceForWrite", () => {
  it("accepts values that fit the DataType exactly", () => {
    for (const [value, type] of [
      [-128, DataType.SByte], [255, DataType.Byte], [-32768, DataType.Int16], [65535, DataType.UInt16], [2147483647, DataType.Int32],
      [4294967295, DataType.UInt32], [Number.MAX_SAFE_INTEGER, DataType.Int64], [1e300, DataType.Double], [3.4e38, DataType.Float],
      [true, DataType.Boolean], ["", DataType.String], ["2024-05-01T10:00:00Z", DataType.DateTime],
    ] as [unknown, DataType][]) {
      assert.equal(reason(value, type), "accepted", `${String(value)} as ${DataType[type]}`);
    }
  });

  it("refuses with the reason: wrong type, out of range, not an integer, not finite", () => {
    assert.equal(reason("abc", DataType.Double), 'Double needs a finite number, not the string "abc"');
    assert.equal(reason(70000, DataType.UInt16), "70000 is out of range for UInt16 [0, 65535]");
    assert.equal(reason(1.5, DataType.Int32), "1.5 is not an integer (Int32 holds whole numbers only; nothing is rounded)");
    assert.equal(reason(-1, DataType.UInt32), "-1 is out of range for UInt32 [0, 4294967295]");
    assert.equal(reason(NaN, DataType.Double), "Double needs a finite number, not number NaN");
    assert.equal(reason(1e39, DataType.Float), "1e+39 is out of range for Float (±3.4028234663852886e+38)");
    assert.equal(reason(1, DataType.Boolean), "Boolean needs true or false, not number 1");
    assert.equal(reason(5, DataType.String), "String needs a string, not number 5");
    assert.equal(reason("soon", DataType.DateTime), 'DateTime needs a date or an ISO 8601 string, not the string "soon"');
    assert.match(reason(1, DataType.ByteString), /writing a ByteString value is not supported/);
    assert.match(reason(1, DataType.Variant), /no single built-in type/);
  });

  it("arrays: one dimension, each element checked, length within ArrayDimensions", () => {
    const ok = coerceForWrite([1, 2, 3], { builtin: DataType.Int16, valueRank: 1, arrayDimensions: [0] });
    assert.ok(ok.ok);
    assert.ok(ok.variant.value instanceof Int16Array);
    assert.equal(ok.variant.arrayType, VariantArrayType.Array);
    assert.equal(reason([1, 2, 3], DataType.Double, 1, [2]), "the array has 3 elements; the node holds at most 2");
    assert.equal(reason([1, 40000], DataType.Int16, 1), "element [1]: 40000 is out of range for Int16 [-32768, 32767]");
    assert.equal(reason([1], DataType.Double, -1), "the node holds a single value, not an array");
    assert.equal(reason(1, DataType.Double, 1), "the node holds an array (ValueRank 1), not a single value");
    assert.equal(reason([[1]], DataType.Double, 2), "the node holds a 2-dimensional array; only one dimension is written");
    assert.equal(reason([true], DataType.Boolean, -2), "accepted", "ValueRank -2 (any) takes an array");
  });

  it("compares the read-back exactly, Float at single precision", () => {
    assert.ok(sameAsWritten(Math.fround(1.1), Math.fround(1.1), DataType.Float));
    assert.ok(sameAsWritten(1.1000001, 1.1, DataType.Float));
    assert.ok(!sameAsWritten(1.1000001, 1.1, DataType.Double));
    assert.ok(sameAsWritten([1, 2], [1, 2], DataType.Int32));
    assert.ok(!sameAsWritten([1, 2], [1, 2, 3], DataType.Int32));
  });
});

/** A server of one Variable, for the writer: counts reads, stores writes, can be told to change the value. */
function fakeSession(options: { dataType: number; valueRank?: number; access?: number; writeStatus?: typeof StatusCodes.Good; tamper?: (v: unknown) => unknown }) {
  let value: Variant = new Variant({ dataType: DataType.Double, value: 0 });
  const calls = { typeReads: 0, writes: 0 };
  const session: WriteSession = {
    async read(nodes) {
      if (nodes.length > 1) calls.typeReads++;
      return nodes.map(({ attributeId }) => {
        switch (attributeId) {
          case AttributeIds.NodeClass: return new DataValue({ value: { dataType: DataType.Int32, value: NodeClass.Variable } });
          case AttributeIds.DataType: return new DataValue({ value: { dataType: DataType.NodeId, value: coerceNodeId(`i=${options.dataType}`) } });
          case AttributeIds.ValueRank: return new DataValue({ value: { dataType: DataType.Int32, value: options.valueRank ?? -1 } });
          case AttributeIds.ArrayDimensions: return new DataValue({ value: { dataType: DataType.UInt32, arrayType: VariantArrayType.Array, value: [] } });
          case AttributeIds.AccessLevel:
          case AttributeIds.UserAccessLevel: return new DataValue({ value: { dataType: DataType.Byte, value: options.access ?? 3 } });
          default: return new DataValue({ value });
        }
      });
    },
    async write(nodes: WriteValueOptions[]) {
      calls.writes++;
      const written = nodes[0]!.value!.value as Variant;
      value = new Variant({ ...written, value: options.tamper ? options.tamper(written.value) : written.value });
      return [options.writeStatus ?? StatusCodes.Good];
    },
    async browse() {
      return [];
    },
    async browseNext() {
      return [];
    },
  };
  return { session, calls };
}

describe("PlcWriter", () => {
  const writerFor = (fake: ReturnType<typeof fakeSession>, generation = () => 1) => createPlcWriter((id) => (id === "plc" ? { session: () => fake.session, generation } : undefined));

  it("reads the node's type once, coerces, writes and confirms by reading back", async () => {
    const fake = fakeSession({ dataType: DataType.Double });
    const writer = writerFor(fake);
    const first = await writer.writeTyped("plc", "ns=1;s=X", 12.5);
    assert.deepEqual({ ...first, roundTripMs: 0 }, { ok: true, connection: "plc", nodeId: "ns=1;s=X", dataType: "Double", written: 12.5, readBack: 12.5, roundTripMs: 0 });
    await writer.writeTyped("plc", "ns=1;s=X", 13);
    assert.equal(fake.calls.typeReads, 1, "the DataType is read once");
  });

  it("reads node types again when a new session replaced the old", async () => {
    const fake = fakeSession({ dataType: DataType.Double });
    let generation = 1;
    const writer = writerFor(fake, () => generation);
    await writer.writeTyped("plc", "ns=1;s=X", 1);
    generation = 2;
    await writer.writeTyped("plc", "ns=1;s=X", 2);
    assert.equal(fake.calls.typeReads, 2);
  });

  it("says at which stage a write stopped: access, coercion, the server's status, the read-back", async () => {
    const readOnly = await writerFor(fakeSession({ dataType: DataType.Double, access: 1 })).writeTyped("plc", "ns=1;s=X", 1);
    assert.deepEqual([readOnly.ok, !readOnly.ok && readOnly.stage], [false, "access"]);
    const notForUser = fakeSession({ dataType: DataType.Double, access: 3 });
    const coerce = await writerFor(notForUser).writeTyped("plc", "ns=1;s=X", "abc");
    assert.equal(!coerce.ok && coerce.stage, "coerce");
    assert.equal(notForUser.calls.writes, 0, "a refused value is never written");
    const refused = await writerFor(fakeSession({ dataType: DataType.Double, writeStatus: StatusCodes.BadOutOfRange })).writeTyped("plc", "ns=1;s=X", 1e6);
    assert.deepEqual(!refused.ok && [refused.stage, refused.status, refused.reason], ["write", "BadOutOfRange", "the server refused 1000000 for ns=1;s=X (Double): BadOutOfRange"]);
    const clamped = await writerFor(fakeSession({ dataType: DataType.Double, tamper: (v) => Math.min(Number(v), 100) })).writeTyped("plc", "ns=1;s=X", 150);
    assert.deepEqual(!clamped.ok && [clamped.stage, clamped.reason], ["read-back", "150 was written to ns=1;s=X (Double) but 100 was read back: the device changed or limited it"]);
    const float = await writerFor(fakeSession({ dataType: DataType.Float, tamper: (v) => Math.fround(Number(v)) })).writeTyped("plc", "ns=1;s=X", 0.1);
    assert.equal(float.ok, true, "a Float read back at single precision is the value written");
  });

  it("refuses when the connection is not there or not connected", async () => {
    const unknown = await writerFor(fakeSession({ dataType: DataType.Double })).writeTyped("other", "ns=1;s=X", 1);
    assert.deepEqual(!unknown.ok && [unknown.stage, unknown.reason], ["connection", 'no connection "other" in this plant link']);
    const offline = await createPlcWriter(() => ({ session: () => undefined, generation: () => 0 })).writeTyped("plc", "ns=1;s=X", 1);
    assert.deepEqual(!offline.ok && [offline.stage, offline.reason], ["connection", "cannot write 1 to ns=1;s=X: connection plc is not connected"]);
  });
});
