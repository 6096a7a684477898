// The IO checkout plan: every signal across its range, a sequence of values of its own, and the diagnosis of
// a signal read from another signal's address.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadIoListFile } from "../../../src-main/commissioning/files";
import { parseIoList } from "../../../src-main/commissioning/io/io-list";
import { confirms, lookalikes, planIoCheckout } from "../../../src-main/commissioning/runner/io-checkout";

const demo = loadIoListFile("scenes/demo-cell.io.csv");
const OPTIONS = { tolerancePercent: 0.5 };

describe("IO checkout plan", () => {
  const plan = planIoCheckout(demo, OPTIONS);

  it("drives every demo signal: low end, high end, then patterns", () => {
    assert.equal(plan.signals.length, 27);
    assert.deepEqual(plan.skipped, []);
    assert.equal(plan.patterns.length, 5, "4 Boolean inputs need 3 bits, plus the two ends");
    const level = plan.signals.find((s) => s.tag === "bufferTank.level")!;
    assert.deepEqual(level.values.slice(0, 2), [0, 2.5]);
    assert.equal(level.tolerance, 0.0125);
    const items = plan.signals.find((s) => s.tag === "fillingStation.itemsProduced")!;
    assert.ok(items.values.every((v) => Number.isInteger(v)), "counts are driven with whole numbers");
    assert.deepEqual(plan.signals.find((s) => s.tag === "fillingStation.itemPositions")!.values.slice(0, 2), [[0], [4.2]]);
  });

  it("gives each signal of a direction its own sequence, so a crossed address cannot pass", () => {
    for (const direction of ["input", "output"]) {
      const signals = plan.signals.filter((s) => s.direction === direction);
      for (const a of signals) assert.deepEqual(lookalikes(plan, a, a.values), [], `${a.tag}: no other signal has its sequence`);
      const seqs = signals.map((s) => JSON.stringify(s.values.map((v) => (typeof v === "boolean" ? v : Array.isArray(v) ? v[0]! / s.range[1] : (v as number) / s.range[1]))));
      assert.equal(new Set(seqs).size, seqs.length, `${direction}: sequences are distinct even when scaled to the range`);
    }
  });

  it("recognises the signal whose address a PLC reads instead", () => {
    const level = plan.signals.find((s) => s.tag === "bufferTank.level")!;
    const outlet = plan.signals.find((s) => s.tag === "bufferTank.outletFlow")!;
    assert.deepEqual(lookalikes(plan, level, outlet.values).map((s) => s.tag), ["bufferTank.outletFlow"]);
    assert.deepEqual(lookalikes(plan, level, level.values.map(() => 0)).map((s) => s.tag), []);
    assert.equal(confirms(level, 1, 2.49), true);
    assert.equal(confirms(level, 1, 2.4), false);
    assert.equal(confirms(level, 1, undefined), false);
  });

  it("skips what it cannot drive, saying why, and honours include and exclude", () => {
    const io = parseIoList("tag,nodeId,dataType,direction,range\na.x,ns=1;s=A.X,Double,input,\na.y,ns=1;s=A.Y,DoubleArray,output,0..1\na.z,ns=1;s=A.Z,Boolean,input,\nb.z,ns=1;s=B.Z,Boolean,input,");
    assert.ok(io.ok);
    if (!io.ok) return;
    const p = planIoCheckout(io.ioList, { ...OPTIONS, exclude: ["b.*"] });
    assert.deepEqual(p.skipped.map((s) => `${s.tag}: ${s.reason}`), ["a.x: the IO list gives no range, so there is no range to drive it across", "a.y: an array output cannot be forced through the force table (it takes one number per signal)"]);
    assert.deepEqual(p.signals.map((s) => s.tag), ["a.z"]);
    assert.deepEqual(planIoCheckout(io.ioList, { ...OPTIONS, include: ["*.z"] }).signals.map((s) => s.tag), ["a.z", "b.z"]);
  });
});
