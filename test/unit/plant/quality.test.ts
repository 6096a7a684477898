// DataValue → PlantSample → TagSample: quality from the status code's severity, the code's name on every
// value, values the contract cannot carry made bad with a reason, both timestamps with sub-ms order.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DataType, DataValue, StatusCodes, Variant, VariantArrayType, coerceInt64 } from "node-opcua";
import { freshnessTagSamples, qualityOf, toPlantSample, toTagSample } from "../../../src-main/plant/quality";

const dv = (variant: ConstructorParameters<typeof Variant>[0], status = StatusCodes.Good, source: Date | null = new Date(1_000), server: Date | null = new Date(2_000)) =>
  new DataValue({ value: new Variant(variant), statusCode: status, sourceTimestamp: source, serverTimestamp: server });

describe("quality", () => {
  it("takes the severity bits of the status code", () => {
    assert.deepEqual([StatusCodes.Good, StatusCodes.GoodClamped, StatusCodes.UncertainLastUsableValue, StatusCodes.BadCommunicationError].map((s) => qualityOf(s.value)), ["good", "good", "uncertain", "bad"]);
  });

  it("keeps the value, the status name, source and server timestamps", () => {
    const s = toPlantSample(3, dv({ dataType: DataType.Double, value: 1.5 }), 2_500);
    assert.deepEqual(s, { tag: 3, value: 1.5, quality: "good", status: "Good", statusCode: 0, sourceTs: 1_000, serverTs: 2_000, receivedAt: 2_500 });
    const uncertain = toPlantSample(3, dv({ dataType: DataType.Float, value: 2 }, StatusCodes.UncertainSensorNotAccurate), 0);
    assert.deepEqual([uncertain.value, uncertain.quality, uncertain.status], [2, "uncertain", "UncertainSensorNotAccurate"]);
  });

  it("never shows a bad value as a reading, nor a non-finite number", () => {
    const bad = toPlantSample(0, dv({ dataType: DataType.Double, value: 7 }, StatusCodes.BadSensorFailure), 0);
    assert.deepEqual([bad.value, bad.quality, bad.status], [null, "bad", "BadSensorFailure"]);
    const nan = toPlantSample(0, dv({ dataType: DataType.Double, value: NaN }), 0);
    assert.deepEqual([nan.value, nan.quality, nan.status], [null, "bad", "Good (value NaN)"]);
    const arr = toPlantSample(0, dv({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: new Float64Array([1, Infinity]) }), 0);
    assert.deepEqual([arr.value, arr.quality], [null, "bad"]);
  });

  it("converts Int64, arrays, strings and dates; refuses what it cannot carry with a reason", () => {
    assert.equal(toPlantSample(0, dv({ dataType: DataType.Int64, arrayType: VariantArrayType.Scalar, value: coerceInt64(-5) }), 0).value, -5);
    assert.equal(toPlantSample(0, dv({ dataType: DataType.UInt64, arrayType: VariantArrayType.Scalar, value: coerceInt64(2 ** 40) }), 0).value, 2 ** 40);
    assert.deepEqual(toPlantSample(0, dv({ dataType: DataType.Int16, arrayType: VariantArrayType.Array, value: new Int16Array([1, -2]) }), 0).value, [1, -2]);
    assert.deepEqual(toPlantSample(0, dv({ dataType: DataType.Boolean, arrayType: VariantArrayType.Array, value: [true, false] }), 0).value, [true, false]);
    assert.equal(toPlantSample(0, dv({ dataType: DataType.String, value: "run" }), 0).value, "run");
    assert.equal(toPlantSample(0, dv({ dataType: DataType.DateTime, value: new Date(5_000) }), 0).value, 5_000);
    const text = toPlantSample(0, dv({ dataType: DataType.LocalizedText, value: { text: "x" } }), 0);
    assert.deepEqual([text.value, text.quality, text.status], [null, "bad", "Good (a LocalizedText value is not carried)"]);
  });

  it("keeps sub-millisecond time as the fraction, and treats missing timestamps as none", () => {
    const v = new DataValue({ value: new Variant({ dataType: DataType.Double, value: 1 }), sourceTimestamp: new Date(1_000), sourcePicoseconds: 250_000_000 });
    const s = toPlantSample(0, v, 9);
    assert.equal(s.sourceTs, 1_000.25);
    assert.equal(s.serverTs, null);
  });

  it("to the contract's TagSample: source time (else server time, else receive time); strings become bad with a reason", () => {
    const base = toPlantSample(1, dv({ dataType: DataType.Double, value: 1 }), 3_000);
    assert.deepEqual(toTagSample(base), { i: 1, v: 1, q: "good", status: "Good", ts: 1_000, rx: 3_000 });
    assert.equal(toTagSample({ ...base, sourceTs: null }).ts, 2_000);
    assert.equal(toTagSample({ ...base, sourceTs: null, serverTs: null }).ts, 3_000);
    const str = toTagSample({ ...base, value: "run" });
    assert.deepEqual([str.v, str.q], [null, "bad"]);
    assert.match(str.status, /TagSample carries numbers and booleans/);
  });

  it("freshness in the contract's terms: stale → bad with the reason; fresh → the last value again", () => {
    const last = toPlantSample(4, dv({ dataType: DataType.Double, value: 9 }), 3_000);
    const stale = freshnessTagSamples({ connection: "plc", tags: [4, 5], stale: true, status: "BadCommunicationError", reason: "connection lost", at: 10_000 }, () => last);
    assert.deepEqual(stale, [4, 5].map((i) => ({ i, v: null, q: "bad", status: "BadCommunicationError (connection lost)", ts: 10_000, rx: 10_000 })));
    const fresh = freshnessTagSamples({ connection: "plc", tags: [4, 5], stale: false, status: "Good", reason: "publishing resumed", at: 12_000 }, (t) => (t === 4 ? last : undefined));
    assert.deepEqual(fresh, [{ i: 4, v: 9, q: "good", status: "Good", ts: 1_000, rx: 12_000 }]);
  });
});
