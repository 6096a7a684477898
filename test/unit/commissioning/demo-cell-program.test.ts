// The soft PLC's program wired straight to the plant model (no OPC UA): the reference behaviour of the
// sequence, its supervision of sensors and IO, and what each documented defect breaks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DemoCellProgram, SequenceFault } from "../../../src-main/commissioning/softplc/demo-cell-program";
import { DEFECT_NAMES, DEFECTS, parseDefect, type Defect } from "../../../src-main/commissioning/softplc/defects";
import { createProgram, IoMirrorProgram, type InputReading } from "../../../src-main/commissioning/softplc/program";
import { DemoCellPlantModel } from "../../../src-workers/models/demo-cell/plant-model";
import type { SignalValue } from "../../../src-workers/plant/simulation-types";

const DT = 0.05;

/** Plant and program with the IO in between, where a test can fail a sensor or the whole link. */
function wired(defect?: Defect) {
  const plant = new DemoCellPlantModel({ model: "demo-cell", seed: 7 });
  const program = new DemoCellProgram(defect);
  const overrides = new Map<string, InputReading>();
  let linkUp = true;
  let t = 0;
  const read = (tag: string): InputReading => overrides.get(tag) ?? (linkUp ? { value: plant.read(tag), good: true } : { value: undefined, good: false });
  const num = (name: string) => plant.read(name) as number;
  const scan = () => {
    plant.step(DT);
    t += DT;
    program.scan(DT, read, linkUp);
    if (linkUp) for (const out of program.outputs) plant.write(out, program.output(out)!);
  };
  const run = (seconds: number, until?: () => boolean) => {
    const end = t + seconds;
    while (t < end) {
      scan();
      if (until?.()) return true;
    }
    return false;
  };
  return {
    plant,
    program,
    num,
    run,
    hmi: (name: string) => program.hmi(name),
    override: (tag: string, r: InputReading | undefined) => (r ? overrides.set(tag, r) : overrides.delete(tag)),
    setLink: (up: boolean) => (linkUp = up),
    start() {
      program.writeHmi("cell.startCommand", true);
      assert.ok(run(5, () => program.hmi("cell.state") === 2), "the cell reaches Running");
    },
  };
}

const valveOpen = (w: ReturnType<typeof wired>) => w.program.output("fillingStation.fillValveCommand") === true;

describe("demo cell program (reference)", () => {
  it("starts, fills each bottle to about 1 L exactly once and keeps the level", () => {
    const w = wired();
    w.start();
    const fills: number[] = [];
    let wasOpen = false;
    const items0 = w.num("fillingStation.itemsProduced");
    w.run(60, () => {
      const open = valveOpen(w);
      if (wasOpen && !open) fills.push(w.num("fillingStation.fillVolume"));
      wasOpen = open;
      return false;
    });
    const produced = w.num("fillingStation.itemsProduced") - items0;
    assert.ok(fills.length >= 10, `${fills.length} bottles filled`);
    for (const v of fills) assert.ok(v >= 0.99 && v < 1.05, `filled ${v} L`);
    assert.ok(Math.abs(produced - fills.length) <= 1, `${produced} bottles left the belt, ${fills.length} were filled: none twice, none skipped`);
    assert.ok(Math.abs(w.num("truth.tankLevel") - 1.2) < 0.05, `level ${w.num("truth.tankLevel")}`);
    assert.equal(w.hmi("cell.sequenceFault"), false);
  });

  it("the high-high switch trips the pump while the level transmitter is stuck low", () => {
    const w = wired();
    w.start();
    w.override("bufferTank.level", { value: 1.0, good: true });
    w.plant.setState("bufferTank.level", 2.15);
    assert.ok(w.run(120, () => w.hmi("cell.interlockActive") === true), "interlock trips");
    assert.equal(w.program.output("feedPump.runCommand"), false);
    w.run(30);
    assert.equal(w.num("truth.tankOverflow"), 0);
    assert.ok(w.num("truth.tankLevel") < 2.3);
  });

  it("a Bad fill flowmeter during a fill closes the valve, stops the cell and says why; a start clears it", () => {
    const w = wired();
    w.start();
    assert.ok(w.run(20, () => valveOpen(w)));
    w.override("fillingStation.fillVolume", { value: 0.3, good: false });
    assert.ok(w.run(1, () => !valveOpen(w)), "the valve closes at once");
    assert.equal(w.hmi("cell.faultCode"), SequenceFault.FillMeterFailed);
    assert.ok(w.run(10, () => w.hmi("cell.state") === 0), "the cell stops");
    w.override("fillingStation.fillVolume", undefined);
    w.start();
    assert.equal(w.hmi("cell.sequenceFault"), false);
  });

  it("a stuck flowmeter (still Good) is caught by the fill watchdog after three times the fill time", () => {
    const w = wired();
    w.start();
    assert.ok(w.run(20, () => valveOpen(w)));
    const stuck = w.num("fillingStation.fillVolume");
    w.override("fillingStation.fillVolume", { value: stuck, good: true });
    let open = 0;
    assert.ok(w.run(15, () => (valveOpen(w) ? (open += DT, false) : true)), "the watchdog closes the valve");
    assert.ok(open > 6 && open < 8, `valve stayed open ${open} s (3 × 2.4 s)`);
    assert.equal(w.hmi("cell.faultCode"), SequenceFault.FillTimeout);
  });

  it("a belt that does not index raises an index timeout", () => {
    const w = wired();
    w.start();
    w.override("fillingStation.beltSpeed", { value: 0, good: true });
    w.override("fillingStation.inPosition", { value: false, good: true });
    assert.ok(w.run(30, () => w.hmi("cell.faultCode") === SequenceFault.IndexTimeout));
  });

  it("a lost IO link stops the cell with an IO fault", () => {
    const w = wired();
    w.start();
    w.setLink(false);
    w.run(0.2);
    assert.equal(w.hmi("cell.faultCode"), SequenceFault.IoLinkLost);
    w.setLink(true);
    assert.ok(w.run(30, () => w.hmi("cell.state") === 0), "stops once the interlock tripped by the fail-safe switch resets");
  });

  it("takes operator writes within limits and refuses the rest, naming the tag", () => {
    const w = wired();
    w.program.writeHmi("bufferTank.levelSetpoint", 1.5);
    assert.equal(w.hmi("bufferTank.levelSetpoint"), 1.5);
    assert.throws(() => w.program.writeHmi("bufferTank.levelSetpoint", 2.4), /bufferTank\.levelSetpoint = 2\.4: out of range, allowed \[0\.4, 2\] m/);
    assert.throws(() => w.program.writeHmi("cell.state", 2), /cell\.state: is an output/);
    assert.throws(() => w.program.writeHmi("cell.startCommand", 1 as unknown as SignalValue), /expected a Boolean/);
  });
});

describe("documented defects", () => {
  it("each has a description and parses by name", () => {
    assert.deepEqual(DEFECT_NAMES, ["missing-high-level-interlock", "wrong-level-sensor-address", "hang-on-failed-sensor"]);
    for (const name of DEFECT_NAMES) assert.ok(DEFECTS[name].length > 40);
    assert.throws(() => parseDefect("flaky"), /unknown defect "flaky"; documented defects: missing-high-level-interlock, wrong-level-sensor-address, hang-on-failed-sensor/);
  });

  it("missing-high-level-interlock: nothing trips the pump and the tank overflows", () => {
    const w = wired("missing-high-level-interlock");
    w.start();
    w.override("bufferTank.level", { value: 1.0, good: true });
    w.plant.setState("bufferTank.level", 2.15);
    assert.ok(w.run(400, () => w.num("truth.tankOverflow") > 0), "the tank overflows");
    assert.equal(w.hmi("cell.interlockActive"), false);
    assert.equal(w.plant.read("bufferTank.levelHighHigh"), true);
    assert.equal(w.program.output("feedPump.runCommand"), true);
  });

  it("hang-on-failed-sensor: with the flowmeter Bad or stuck, the valve stays open and no fault is raised", () => {
    for (const reading of [{ value: 0.3, good: false }, { value: 0.3, good: true }]) {
      const w = wired("hang-on-failed-sensor");
      w.start();
      assert.ok(w.run(20, () => valveOpen(w)));
      w.override("fillingStation.fillVolume", reading);
      assert.equal(w.run(60, () => !valveOpen(w)), false, "the valve never closes");
      assert.equal(w.hmi("cell.sequenceFault"), false);
      assert.equal(w.hmi("cell.state"), 2);
    }
  });

  it("the IO mirror serves other plants; defects belong to the demo program", () => {
    assert.ok(createProgram("io-rig", undefined) instanceof IoMirrorProgram);
    assert.ok(createProgram("demo-cell", "hang-on-failed-sensor") instanceof DemoCellProgram);
    assert.throws(() => createProgram(undefined, "hang-on-failed-sensor"), /applies to the demo-cell program/);
  });
});
