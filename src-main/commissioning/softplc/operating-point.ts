/**
 * The demo cell's design operating point: the pump speed and heater power that hold the level and the
 * temperature while the filling line draws product, from the plant's datasheet figures (pump and system
 * curve, filling line cycle, tank heat balance). The control program starts its loops there when it takes
 * the cell straight into Running (`softplc --start-cell`), as the combined simulation's PLC does: started
 * from their minimum instead, the level loop sits below the speed at which the pump lifts against the
 * feed line's static head (≈ 1256 rpm against 600 rpm) and its integral crawls there for minutes while
 * nothing flows, and the temperature loop, at its setpoint, stays near 0 kW until the cold feed arrives.
 */
import { FILLING_LINE } from "../../../src-workers/models/demo-cell/filling-conveyor";
import { AMBIENT_C, FEED_MEAN_C } from "../../../src-workers/models/demo-cell/plant-model";
import { FEED_PUMP, speedForFlowRpm } from "../../../src-workers/models/demo-cell/pump";
import { BUFFER_TANK, PRODUCT_RHO_CP } from "../../../src-workers/models/demo-cell/tank";

/**
 * Bearing wear the start speed assumes: the scene's prior for P-101. The true wear is unknown to the PLC;
 * the level loop trims the difference (a few rpm).
 */
export const DESIGN_BEARING_WEAR = 0.1;

export interface OperatingPoint {
  /** Average product draw of the filling line, m³/h. */
  drawM3h: number;
  pumpSpeedRpm: number;
  heaterKw: number;
}

/** The steady point for a fill volume (L) and a tank temperature setpoint (°C). */
export function designOperatingPoint(fillVolumeL: number, temperatureC: number, wear = DESIGN_BEARING_WEAR): OperatingPoint {
  if (!(fillVolumeL > 0) || !Number.isFinite(fillVolumeL)) throw new RangeError(`operating point: fill volume must be a positive number of litres, got ${fillVolumeL}`);
  if (!Number.isFinite(temperatureC)) throw new RangeError(`operating point: temperature setpoint must be a finite number, got ${temperatureC}`);
  const line = FILLING_LINE;
  // One bottle per cycle: index by one pitch, then fill at the valve's flow.
  const cycleS = line.pitchM / line.beltSpeedMps + fillVolumeL / 1000 / (line.fillFlowM3h / 3600);
  const drawM3s = fillVolumeL / 1000 / cycleS;
  const pumpSpeedRpm = Math.min(FEED_PUMP.ratedSpeedRpm, speedForFlowRpm(FEED_PUMP, drawM3s * 3600, wear));
  // The heater warms the feed that replaces the draw and covers the wall losses.
  const heaterKw = drawM3s * PRODUCT_RHO_CP * (temperatureC - FEED_MEAN_C) + BUFFER_TANK.lossUaKwPerK * (temperatureC - AMBIENT_C);
  return { drawM3h: drawM3s * 3600, pumpSpeedRpm, heaterKw: Math.min(BUFFER_TANK.maxHeaterKw, Math.max(0, heaterKw)) };
}
