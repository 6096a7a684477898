/**
 * Buffer tank T-201: a vertical, well-mixed, heated tank. Mass balance on the level, energy balance on
 * the temperature. Pure rate functions so the integrator (and tests) can evaluate them at any state.
 */

/** Volumetric heat capacity of the water-like product, kJ/(m³·K). */
export const PRODUCT_RHO_CP = 4186;

export interface TankParams {
  areaM2: number;
  heightM: number;
  maxHeaterKw: number;
  /** Heat loss to ambient through the insulated wall, kW/K. */
  lossUaKwPerK: number;
  /** Below this volume the energy balance uses this volume: keeps dT/dt finite in an empty tank. */
  minVolumeM3: number;
  /** Level switch LSHH-201. */
  highHighM: number;
  /** The outlet draws nothing below this level (the nozzle sucks air). */
  outletMinLevelM: number;
  /** The heater element must be covered: the PLC switches it off below this level. */
  heaterMinLevelM: number;
}

/** T-201 (scene: areaM2 2.0, heightM 2.5, maxHeaterKw 60). */
export const BUFFER_TANK: TankParams = {
  areaM2: 2.0,
  heightM: 2.5,
  maxHeaterKw: 60,
  lossUaKwPerK: 0.02,
  minVolumeM3: 0.02,
  highHighM: 2.2,
  outletMinLevelM: 0.05,
  heaterMinLevelM: 0.3,
};

/**
 * d(level)/dt in m/s from inflow and outflow in m³/s. A full tank spills over its rim (the level stays at the
 * top); an empty one cannot drain further.
 */
export function levelRate(p: TankParams, levelM: number, inflowM3s: number, outflowM3s: number): number {
  const net = inflowM3s - outflowM3s;
  if (levelM >= p.heightM && net > 0) return 0;
  if (levelM <= 0 && net < 0) return 0;
  return net / p.areaM2;
}

/**
 * d(temperature)/dt in K/s of the well-mixed content: inflow at the feed temperature mixes in, the outflow
 * leaves at the tank temperature (so it does not change it), the heater adds power, the wall loses heat.
 */
export function temperatureRate(
  p: TankParams,
  levelM: number,
  temperatureC: number,
  inflowM3s: number,
  feedTemperatureC: number,
  heaterKw: number,
  ambientC: number,
): number {
  const volume = Math.max(p.areaM2 * levelM, p.minVolumeM3);
  const mixingKw = inflowM3s * PRODUCT_RHO_CP * (feedTemperatureC - temperatureC);
  const lossKw = p.lossUaKwPerK * (temperatureC - ambientC);
  return (mixingKw + heaterKw - lossKw) / (PRODUCT_RHO_CP * volume);
}
