/**
 * Product cooler E-301: a counter-flow plate heat exchanger, rated by effectiveness–NTU. Its plates foul:
 * the fouling resistance adds in series to the clean resistance, UA = 1 / (1/UAclean + Rf).
 */
import { PRODUCT_RHO_CP } from "./tank";

export interface HeatExchangerParams {
  uaCleanKwPerK: number;
  coolantInletC: number;
  /** Product line volume between the cooler outlet and its temperature sensor: sets the washout lag. */
  productLineVolumeM3: number;
  /** Holdup lag of the coolant outlet temperature. */
  coolantOutLagS: number;
  /** Lag of the coolant flow controller following its setpoint. */
  coolantFlowLagS: number;
  /** Fouling resistance growth at 55 °C product, m²K/kW per second (before the degradation speed-up). */
  foulingRatePerS: number;
  /** Product temperature rise that multiplies the fouling rate by e. */
  foulingTemperatureScaleK: number;
}

/** E-301 (scene: uaCleanKwPerK 4.0, coolantInletC 15). */
export const PRODUCT_COOLER: HeatExchangerParams = {
  uaCleanKwPerK: 4.0,
  coolantInletC: 15,
  productLineVolumeM3: 0.0005,
  coolantOutLagS: 3,
  coolantFlowLagS: 4,
  // At speed-up 600 Rf climbs from ~0.02 to ~0.3 m²K/kW in about a quarter of an hour.
  foulingRatePerS: 5e-7,
  foulingTemperatureScaleK: 20,
};

/** Effectiveness of a counter-flow exchanger; `cr` = Cmin/Cmax in [0, 1]. */
export function counterflowEffectiveness(ntu: number, cr: number): number {
  if (ntu <= 0) return 0;
  if (cr < 1e-9) return 1 - Math.exp(-ntu);
  // The general formula is 0/0 at cr = 1; its limit is NTU/(1+NTU).
  if (Math.abs(1 - cr) < 1e-6) return ntu / (1 + ntu);
  const e = Math.exp(-ntu * (1 - cr));
  return (1 - e) / (1 - cr * e);
}

/** Overall conductance with fouling, kW/K. `rf` in m²K/kW (the area is folded into UAclean). */
export function foulingUa(p: HeatExchangerParams, rf: number): number {
  return 1 / (1 / p.uaCleanKwPerK + Math.max(0, rf));
}

export interface HeatExchangerState {
  uaKwPerK: number;
  dutyKw: number;
  /** Steady outlet temperatures at the present flows (with no product flow: product inlet, coolant inlet). */
  productOutC: number;
  coolantOutC: number;
}

export function newHeatExchangerState(): HeatExchangerState {
  return { uaKwPerK: 0, dutyKw: 0, productOutC: 0, coolantOutC: 0 };
}

/** Steady-state rating at the present inlet temperatures and flows (m³/h), written into `out`. */
export function evaluateHeatExchanger(
  p: HeatExchangerParams,
  rf: number,
  productInC: number,
  productM3h: number,
  coolantInC: number,
  coolantM3h: number,
  out: HeatExchangerState,
): HeatExchangerState {
  const ua = foulingUa(p, rf);
  out.uaKwPerK = ua;
  const cHot = (Math.max(0, productM3h) / 3600) * PRODUCT_RHO_CP; // kW/K
  const cCold = (Math.max(0, coolantM3h) / 3600) * PRODUCT_RHO_CP;
  if (cHot <= 0 || cCold <= 0) {
    // Either side stagnant: no steady duty.
    out.dutyKw = 0;
    out.productOutC = productInC;
    out.coolantOutC = coolantInC;
    return out;
  }
  const cMin = Math.min(cHot, cCold);
  const cMax = Math.max(cHot, cCold);
  const eff = counterflowEffectiveness(ua / cMin, cMin / cMax);
  const duty = eff * cMin * (productInC - coolantInC);
  out.dutyKw = duty;
  out.productOutC = productInC - duty / cHot;
  out.coolantOutC = coolantInC + duty / cCold;
  return out;
}

/** d(Rf)/dt: deposits build up all the time, faster with hotter product (Arrhenius-like). */
export function foulingRate(p: HeatExchangerParams, productInC: number, speedup: number): number {
  return speedup * p.foulingRatePerS * Math.exp((productInC - 55) / p.foulingTemperatureScaleK);
}
