// Fault injection as the plant server applies it: what each fault does to a sensor's value and quality or to
// the command an actuator obeys, when it starts and ends, and which faults do not apply.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FaultBoard } from "../../../src-main/commissioning/faults/fault-board";
import { describeFault, FaultSpec, parseFaultSpecs } from "../../../src-main/commissioning/faults/fault-spec";
import type { SignalSpec } from "../../../src-workers/plant/simulation-types";

const SIGNALS: SignalSpec[] = [
  { name: "tank.level", type: "Double", direction: "output", unit: "m", range: [0, 2.5] },
  { name: "tank.highHigh", type: "Boolean", direction: "output" },
  { name: "belt.items", type: "DoubleArray", direction: "output" },
  { name: "pump.run", type: "Boolean", direction: "input", range: [0, 1] },
  { name: "pump.speed", type: "Double", direction: "input", range: [0, 3000] },
  { name: "truth.level", type: "Double", direction: "output", hidden: true },
];
const spec = (s: unknown) => FaultSpec.parse(s);

describe("sensor faults", () => {
  it("stuck holds the value it had when the fault took effect, or the value given", () => {
    const b = new FaultBoard(SIGNALS);
    b.inject(spec({ tag: "tank.level", kind: "stuck" }), 10);
    b.advance(10);
    assert.deepEqual(b.sensor("tank.level", 1.2, 10), { value: 1.2 });
    assert.deepEqual(b.sensor("tank.level", 1.9, 11), { value: 1.2 });
    b.inject(spec({ tag: "tank.highHigh", kind: "stuck", value: true }), 11);
    b.advance(11);
    assert.deepEqual(b.sensor("tank.highHigh", 0, 11), { value: 1 });
  });

  it("offset adds, drift grows with the time since it started, noise scatters around the truth", () => {
    const b = new FaultBoard(SIGNALS, 3);
    b.inject(spec({ tag: "tank.level", kind: "drift", ratePerS: 0.01 }), 100);
    b.advance(100);
    assert.equal(b.sensor("tank.level", 1, 150).value, 1.5);
    b.inject(spec({ tag: "tank.level", kind: "offset", offset: -0.25 }), 150);
    b.advance(150);
    assert.equal(b.sensor("tank.level", 1, 151).value, 0.75);
    b.inject(spec({ tag: "tank.level", kind: "noise", sd: 0.1 }), 151);
    b.advance(151);
    const values = Array.from({ length: 2000 }, () => b.sensor("tank.level", 1, 152).value);
    const mean = values.reduce((a, v) => a + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
    assert.ok(Math.abs(mean - 1) < 0.01 && Math.abs(sd - 0.1) < 0.01, `mean ${mean}, sd ${sd}`);
  });

  it("bad holds the last value with a Bad status; arrays can be stuck or bad", () => {
    const b = new FaultBoard(SIGNALS);
    b.inject(spec({ tag: "tank.level", kind: "bad" }), 0);
    b.inject(spec({ tag: "belt.items", kind: "stuck", value: [1, 2] }), 0);
    b.advance(0);
    assert.deepEqual(b.sensor("tank.level", 0.9, 0), { value: 0.9, status: "BadSensorFailure" });
    assert.deepEqual(b.sensor("tank.level", 2.0, 5), { value: 0.9, status: "BadSensorFailure" });
    assert.deepEqual(b.sensorArray("belt.items", [0.5]), { value: [1, 2] });
    b.inject(spec({ tag: "belt.items", kind: "bad", status: "BadNoCommunication" }), 5);
    b.advance(5);
    assert.deepEqual(b.sensorArray("belt.items", [0.7]), { value: [0.7], status: "BadNoCommunication" });
  });

  it("a delayed fault waits; a fault with a duration clears itself; clear ends faults at once", () => {
    const b = new FaultBoard(SIGNALS);
    b.inject(spec({ tag: "tank.level", kind: "offset", offset: 1, delayS: 5, durationS: 10 }), 100);
    assert.deepEqual(b.advance(104), []);
    assert.equal(b.list()[0]!.state, "scheduled");
    assert.equal(b.sensor("tank.level", 1, 104).value, 1);
    assert.deepEqual(b.advance(105), ["tank.level"]);
    assert.equal(b.sensor("tank.level", 1, 105).value, 2);
    assert.deepEqual(b.list(), [{ spec: spec({ tag: "tank.level", kind: "offset", offset: 1, delayS: 5, durationS: 10 }), state: "active", fromS: 105, untilS: 115 }]);
    assert.deepEqual(b.advance(115), ["tank.level"]);
    assert.equal(b.sensor("tank.level", 1, 116).value, 1);
    b.inject(spec({ tag: "tank.level", kind: "stuck" }), 120);
    b.inject(spec({ tag: "pump.run", kind: "trip" }), 120);
    assert.deepEqual(b.clear(["pump.run", "tank.highHigh"]), ["pump.run"]);
    assert.deepEqual(b.clear(), ["tank.level"]);
  });
});

describe("actuator faults", () => {
  it("a trip turns the drive off whatever the PLC commands; a stuck valve stays where it was", () => {
    const b = new FaultBoard(SIGNALS);
    b.inject(spec({ tag: "pump.run", kind: "trip" }), 0);
    b.inject(spec({ tag: "pump.speed", kind: "stuck" }), 0);
    b.advance(0);
    assert.equal(b.actuator("pump.run", true), false);
    assert.equal(b.actuator("pump.speed", 1500), 1500, "stuck where the first command after the fault put it");
    assert.equal(b.actuator("pump.speed", 2900), 1500);
    b.inject(spec({ tag: "pump.speed", kind: "trip" }), 1);
    b.advance(1);
    assert.equal(b.actuator("pump.speed", 2900), 0);
    b.clear();
    assert.equal(b.actuator("pump.run", true), true);
  });
});

describe("faults that do not apply are refused, naming the tag", () => {
  const b = new FaultBoard(SIGNALS);
  const refuse = (s: unknown, pattern: RegExp) => assert.throws(() => b.inject(spec(s), 0), pattern);
  it("by signal and kind", () => {
    refuse({ tag: "tank.nope", kind: "bad" }, /tank\.nope.*not a signal of the plant server/);
    refuse({ tag: "truth.level", kind: "bad" }, /truth\.level.*not a signal/);
    refuse({ tag: "tank.level", kind: "trip" }, /tank\.level is a sensor; its faults are stuck, offset, drift, noise, bad/);
    refuse({ tag: "pump.speed", kind: "noise", sd: 1 }, /pump\.speed is an actuator; its faults are stuck, trip/);
    refuse({ tag: "tank.highHigh", kind: "offset", offset: 1 }, /applies to analog signals; tank\.highHigh is Boolean/);
    refuse({ tag: "tank.highHigh", kind: "stuck", value: 3 }, /value 3 does not fit a Boolean/);
  });
  it("by schema, from JSON as the OPC UA method takes them", () => {
    assert.deepEqual(parseFaultSpecs('{"tag":"tank.level","kind":"bad"}'), [{ tag: "tank.level", kind: "bad", status: "BadSensorFailure" }]);
    assert.throws(() => parseFaultSpecs('[{"tag":"tank.level","kind":"melt"}]'), /faults: 0\.kind: /);
    assert.throws(() => parseFaultSpecs('[{"tag":"tank.level","kind":"noise","sd":-1}]'), /0\.sd/);
    assert.throws(() => parseFaultSpecs("{not json"), /not JSON/);
  });
  it("describes a fault in one line", () => {
    assert.equal(describeFault(spec({ tag: "tank.level", kind: "stuck", value: 1.2, delayS: 5, durationS: 30 })), "tank.level stuck at 1.2 after 5 s for 30 s");
    assert.equal(describeFault(spec({ tag: "tank.level", kind: "drift", ratePerS: -0.01 })), "tank.level drifting -0.01/s");
  });
});
