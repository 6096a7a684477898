import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { Rk4, type Derivative } from "../../../src-workers/solvers/rk4";
import { BUFFER_TANK, levelRate, PRODUCT_RHO_CP, temperatureRate } from "../../../src-workers/models/demo-cell/tank";
import {
  evaluatePump,
  FEED_PUMP,
  newPumpState,
  pumpFlowM3h,
  speedForFlowRpm,
  wearRate,
} from "../../../src-workers/models/demo-cell/pump";
import {
  counterflowEffectiveness,
  evaluateHeatExchanger,
  foulingUa,
  newHeatExchangerState,
  PRODUCT_COOLER,
} from "../../../src-workers/models/demo-cell/heat-exchanger";
import { FILLING_LINE, FillingConveyor } from "../../../src-workers/models/demo-cell/filling-conveyor";

describe("buffer tank", () => {
  it("conserves mass: with constant flows the level change equals the integral of net flow (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.3, max: 2.2, noNaN: true }),
        fc.double({ min: 0, max: 25, noNaN: true }),
        fc.double({ min: 0, max: 25, noNaN: true }),
        fc.double({ min: 1, max: 120, noNaN: true }),
        (level0, inM3h, outM3h, seconds) => {
          const qIn = inM3h / 3600;
          const qOut = outM3h / 3600;
          const expected = level0 + ((qIn - qOut) * seconds) / BUFFER_TANK.areaM2;
          fc.pre(expected > 0.01 && expected < BUFFER_TANK.heightM - 0.01); // no spill, no running dry
          const y = Float64Array.of(level0);
          const f: Derivative = (_t, s, d) => {
            d[0] = levelRate(BUFFER_TANK, s[0]!, qIn, qOut);
          };
          const steps = Math.ceil(seconds / 0.01);
          new Rk4(1).integrate(f, 0, y, seconds / steps, steps);
          return Math.abs(y[0]! - expected) < 1e-9;
        },
      ),
      { numRuns: 300 },
    );
  });

  it("spills at the rim and cannot drain below empty", () => {
    assert.equal(levelRate(BUFFER_TANK, BUFFER_TANK.heightM, 0.01, 0), 0);
    assert.ok(levelRate(BUFFER_TANK, BUFFER_TANK.heightM, 0, 0.01) < 0);
    assert.equal(levelRate(BUFFER_TANK, 0, 0, 0.01), 0);
  });

  it("has the energy balance's steady state: heater power = inflow heating + wall loss", () => {
    const qIn = 1 / 3600; // 1 m³/h
    const feed = 12;
    const ambient = 20;
    const heaterKw = 40;
    // Steady temperature from the balance q·ρcp·(T − Tfeed) + UA·(T − Tamb) = P.
    const rc = qIn * PRODUCT_RHO_CP;
    const steady = (heaterKw + rc * feed + BUFFER_TANK.lossUaKwPerK * ambient) / (rc + BUFFER_TANK.lossUaKwPerK);
    assert.ok(Math.abs(temperatureRate(BUFFER_TANK, 1.2, steady, qIn, feed, heaterKw, ambient)) < 1e-12);
    assert.ok(temperatureRate(BUFFER_TANK, 1.2, steady - 1, qIn, feed, heaterKw, ambient) > 0);
    // 60 kW into 2.4 m³ of water: ~0.36 K/min with no flow and the tank at ambient.
    const rate = temperatureRate(BUFFER_TANK, 1.2, ambient, 0, feed, 60, ambient);
    assert.ok(Math.abs(rate * 60 - 0.358) < 0.01, `heating rate ${rate * 60} K/min`);
  });
});

describe("feed pump", () => {
  const state = newPumpState();

  it("follows the affinity laws and delivers nothing below the static head", () => {
    assert.equal(pumpFlowM3h(FEED_PUMP, 0.3, 0), 0);
    const q1 = pumpFlowM3h(FEED_PUMP, 0.8, 0);
    const q2 = pumpFlowM3h(FEED_PUMP, 1, 0);
    assert.ok(q2 > q1 && q1 > 0);
    assert.ok(q2 > 10 && q2 < 25, `full-speed flow ${q2}`);
    // speedForFlowRpm inverts the operating point.
    const rpm = speedForFlowRpm(FEED_PUMP, 5, 0.3);
    assert.ok(Math.abs(pumpFlowM3h(FEED_PUMP, rpm / FEED_PUMP.ratedSpeedRpm, 0.3) - 5) < 1e-9);
  });

  it("loses head, draws more current and vibrates more as the bearing wears", () => {
    const fresh = { ...evaluatePump(FEED_PUMP, 2000, 0.05, true, state) };
    const worn = { ...evaluatePump(FEED_PUMP, 2000, 0.8, true, state) };
    assert.ok(worn.flowM3h < fresh.flowM3h);
    assert.ok(worn.motorCurrentA > fresh.motorCurrentA);
    assert.ok(worn.vibrationMmS > 3 * fresh.vibrationMmS);
    assert.ok(fresh.dischargePressureBar > 0 && fresh.dischargePressureBar < 5);
    const stopped = evaluatePump(FEED_PUMP, 0, 0.5, false, state);
    assert.equal(stopped.flowM3h, 0);
    assert.equal(stopped.motorCurrentA, 0);
    assert.equal(stopped.vibrationMmS, 0);
  });

  it("wears only while turning, faster at high speed and when already worn", () => {
    assert.equal(wearRate(FEED_PUMP, 0, 0.5, 0.2, 1), 0);
    assert.ok(wearRate(FEED_PUMP, 2900, 0.5, 0.2, 1) > wearRate(FEED_PUMP, 1500, 0.5, 0.2, 1));
    assert.ok(wearRate(FEED_PUMP, 1500, 0.5, 0.6, 1) > wearRate(FEED_PUMP, 1500, 0.5, 0.2, 1));
    const ratio = wearRate(FEED_PUMP, 1500, 0.5, 0.2, 100) / wearRate(FEED_PUMP, 1500, 0.5, 0.2, 1);
    assert.ok(Math.abs(ratio - 100) < 1e-9, "scales with the degradation speed-up");
  });
});

describe("product cooler", () => {
  it("has the textbook effectiveness limits", () => {
    assert.ok(Math.abs(counterflowEffectiveness(1, 1) - 0.5) < 1e-12);
    assert.ok(Math.abs(counterflowEffectiveness(1, 0) - (1 - Math.exp(-1))) < 1e-12);
    // Continuous across cr = 1.
    assert.ok(Math.abs(counterflowEffectiveness(2, 1 - 1e-5) - counterflowEffectiveness(2, 1)) < 1e-4);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 50, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (ntu, cr) => {
        const e = counterflowEffectiveness(ntu, cr);
        return e >= 0 && e <= 1;
      }),
    );
  });

  it("balances duty between the streams, and fouling raises the product outlet temperature", () => {
    const hx = newHeatExchangerState();
    evaluateHeatExchanger(PRODUCT_COOLER, 0.02, 55, 1.5, 15, 6, hx);
    const cleanOut = hx.productOutC;
    const dutyFromHot = ((1.5 / 3600) * PRODUCT_RHO_CP) * (55 - hx.productOutC);
    const dutyFromCold = ((6 / 3600) * PRODUCT_RHO_CP) * (hx.coolantOutC - 15);
    assert.ok(Math.abs(dutyFromHot - dutyFromCold) < 1e-9);
    assert.ok(cleanOut > 15 && cleanOut < 30, `clean outlet ${cleanOut}`);
    evaluateHeatExchanger(PRODUCT_COOLER, 0.3, 55, 1.5, 15, 6, hx);
    assert.ok(hx.productOutC > cleanOut + 5, `fouled outlet ${hx.productOutC}`);
    assert.ok(foulingUa(PRODUCT_COOLER, 0) === PRODUCT_COOLER.uaCleanKwPerK);
    evaluateHeatExchanger(PRODUCT_COOLER, 0.1, 55, 0, 15, 6, hx);
    assert.equal(hx.dutyKw, 0);
  });
});

describe("filling conveyor", () => {
  it("indexes one pitch per request, stops in position and counts bottles leaving the belt", () => {
    const belt = new FillingConveyor(FILLING_LINE, FILLING_LINE.fillerPositionM);
    assert.ok(belt.inPosition && !belt.isMoving);
    const out = new Float64Array(16);
    const before = Array.from(out.subarray(0, belt.positions(out)));
    assert.ok(before.includes(1.2) && before.every((x) => x >= 0 && x <= 4.2));
    let produced = 0;
    for (let i = 0; i < 20; i++) {
      belt.addFill(0.001);
      assert.ok(Math.abs(belt.fillVolumeL - 1) < 1e-12);
      belt.requestIndex();
      let t = 0;
      while (belt.isMoving) {
        assert.ok(!belt.inPosition, "not in position while moving");
        belt.advance(0.01);
        t += 0.01;
      }
      assert.ok(Math.abs(t - FILLING_LINE.pitchM / FILLING_LINE.beltSpeedMps) < 0.011);
      assert.equal(belt.fillVolumeL, 0, "a new, empty bottle stands under the filler");
      produced = belt.itemsProduced;
      const n = belt.positions(out);
      assert.ok(n <= 16 && Array.from(out.subarray(0, n)).includes(1.2));
    }
    assert.ok(produced >= 19 && produced <= 20, `produced ${produced}`);
  });
});
