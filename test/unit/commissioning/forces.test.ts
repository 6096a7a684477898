// Forces on the plant server's fault board: a forced sensor reads the forced value (Good) over any fault, a
// forced actuator obeys it, releasing restores what was there; what cannot be forced is refused naming the
// signal. And the fault kinds the API offers per signal are exactly those the board accepts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FaultBoard } from "../../../src-main/commissioning/faults/fault-board";
import { FaultSpec, faultKindsOf, type FaultKind } from "../../../src-main/commissioning/faults/fault-spec";
import type { SignalSpec } from "../../../src-workers/plant/simulation-types";

const SIGNALS: SignalSpec[] = [
  { name: "tank.level", type: "Double", direction: "output", unit: "m", range: [0, 2.5] },
  { name: "tank.highHigh", type: "Boolean", direction: "output" },
  { name: "line.count", type: "UInt32", direction: "output", range: [0, 65535] },
  { name: "belt.items", type: "DoubleArray", direction: "output" },
  { name: "pump.run", type: "Boolean", direction: "input", range: [0, 1] },
  { name: "pump.speed", type: "Double", direction: "input", unit: "rpm", range: [0, 3000] },
  { name: "truth.level", type: "Double", direction: "output", hidden: true },
];

describe("forces", () => {
  it("a forced sensor reads the forced value with Good quality, over an active fault, until released", () => {
    const b = new FaultBoard(SIGNALS);
    b.inject(FaultSpec.parse({ tag: "tank.level", kind: "bad" }), 0);
    b.advance(0);
    assert.deepEqual(b.sensor("tank.level", 1.2, 0), { value: 1.2, status: "BadSensorFailure" });
    b.force("tank.level", 2.4);
    b.force("tank.highHigh", true);
    assert.deepEqual(b.sensor("tank.level", 1.3, 1), { value: 2.4 });
    assert.deepEqual(b.sensor("tank.highHigh", 0, 1), { value: 1 });
    assert.ok(b.isForced("tank.level"));
    assert.deepEqual(b.forces(), [
      { tag: "tank.level", value: 2.4 },
      { tag: "tank.highHigh", value: true },
    ]);
    assert.deepEqual(b.unforce(["tank.level", "pump.run"]), ["tank.level"]);
    assert.deepEqual(b.sensor("tank.level", 1.4, 2), { value: 1.2, status: "BadSensorFailure" }, "the fault is back, holding its value");
    assert.deepEqual(b.unforce(), ["tank.highHigh"]);
    assert.deepEqual(b.forces(), []);
  });

  it("a forced actuator is what the plant obeys, whatever the PLC commands or a fault says", () => {
    const b = new FaultBoard(SIGNALS);
    b.inject(FaultSpec.parse({ tag: "pump.run", kind: "trip" }), 0);
    b.advance(0);
    assert.equal(b.actuator("pump.run", true), false);
    b.force("pump.run", 1);
    b.force("pump.speed", 1450);
    assert.equal(b.actuator("pump.run", false), true, "0/1 force a Boolean");
    assert.equal(b.actuator("pump.speed", 2900), 1450);
    b.unforce();
    assert.equal(b.actuator("pump.run", true), false);
    assert.equal(b.actuator("pump.speed", 2900), 2900);
  });

  it("rounds integer signals and refuses what cannot be forced, naming the signal", () => {
    const b = new FaultBoard(SIGNALS);
    assert.equal(b.checkForce("line.count", 7.6), 8);
    assert.throws(() => b.force("tank.nope", 1), /force "tank\.nope": not a signal of the plant server/);
    assert.throws(() => b.force("truth.level", 1), /force "truth\.level": not a signal/);
    assert.throws(() => b.force("belt.items", 1), /force belt\.items: an array signal/);
    assert.throws(() => b.force("tank.highHigh", 2), /force tank\.highHigh: 2 is not a Boolean/);
    assert.throws(() => b.force("tank.level", Number.NaN), /force tank\.level: .* is not a finite number/);
    assert.throws(() => b.force("pump.speed", 3500), /force pump\.speed: 3500 is outside the actuator's range \[0, 3000\] rpm/);
    assert.doesNotThrow(() => b.force("tank.level", 9), "a sensor may read out of its range (a transmitter fault is a test case)");
    assert.deepEqual(b.forces(), [{ tag: "tank.level", value: 9 }]);
  });
});

describe("fault kinds per signal", () => {
  const KINDS: FaultKind[] = ["stuck", "offset", "drift", "noise", "bad", "trip"];
  const example = (tag: string, kind: FaultKind) =>
    FaultSpec.parse({ tag, kind, ...(kind === "offset" ? { offset: 1 } : kind === "drift" ? { ratePerS: 0.1 } : kind === "noise" ? { sd: 0.1 } : {}) });
  it("faultKindsOf offers exactly the kinds the board accepts, for every visible signal", () => {
    for (const s of SIGNALS.filter((x) => !x.hidden)) {
      const offered = faultKindsOf(s.direction === "output" ? "sensor" : "actuator", s.type);
      const accepted = KINDS.filter((kind) => {
        try {
          new FaultBoard(SIGNALS).inject(example(s.name, kind), 0);
          return true;
        } catch {
          return false;
        }
      });
      assert.deepEqual(offered, accepted, s.name);
    }
  });
});
