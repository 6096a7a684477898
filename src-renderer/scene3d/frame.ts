/**
 * What every 3D component needs each frame, computed once per frame by <FrameClock> (it runs first,
 * at a negative priority), plus helpers to read live values and show bad quality. Nothing here allocates.
 */
import { useFrame } from "@react-three/fiber";
import { CanvasTexture, Color, RepeatWrapping, type MeshStandardMaterial } from "three";
import { live, Q_BAD, Q_NONE } from "../stores/live";
import { hostNow, isDataStale } from "../stores/workbench";

/** Shared per-frame state; mutated in place. */
export const frame = {
  /** Host clock now, ms. */
  now: 0,
  /** The whole picture is stale (link down, plant disconnected or no value for > 2 s). */
  stale: false,
};

export function FrameClock(): null {
  useFrame(() => {
    frame.now = hostNow();
    frame.stale = isDataStale(frame.now);
  }, -1);
  return null;
}

/** True when the value of a bound tag cannot be trusted (bad, missing, or the whole picture stale). */
export function isDegraded(index: number): boolean {
  if (index < 0) return false; // not bound: nothing live to distrust
  const q = live.quality[index] ?? Q_NONE;
  return frame.stale || q === Q_NONE || q === Q_BAD;
}

/** Live numeric value of a tag, NaN when unbound or not numeric. */
export function liveNumber(index: number): number {
  return index < 0 ? NaN : (live.num[index] ?? NaN);
}

export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** Exponential smoothing factor for a time step: frame-rate independent easing. */
export function ease(dt: number, ratePerS: number): number {
  return 1 - Math.exp(-dt * ratePerS);
}

const hsl = { h: 0, s: 0, l: 0 };

/** Washes a colour out to a dull grey-violet: the look of "do not trust this". */
export function desaturate(color: Color): Color {
  color.getHSL(hsl);
  return color.setHSL(0.72, hsl.s * 0.12, 0.25 + hsl.l * 0.35);
}

let hatch: CanvasTexture | null = null;

/** Diagonal hatching, the drafting convention for "unknown", laid over degraded live parts. */
function hatchTexture(): CanvasTexture {
  if (hatch) return hatch;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 64;
  const g = canvas.getContext("2d");
  if (g) {
    g.fillStyle = "#ffffff";
    g.fillRect(0, 0, 64, 64);
    g.strokeStyle = "#4a4458";
    g.lineWidth = 10;
    for (let k = -64; k <= 128; k += 32) {
      g.beginPath();
      g.moveTo(k, 64);
      g.lineTo(k + 64, 0);
      g.stroke();
    }
  }
  hatch = new CanvasTexture(canvas);
  hatch.wrapS = hatch.wrapT = RepeatWrapping;
  hatch.repeat.set(3, 3);
  return hatch;
}

/** Switches the hatch on or off; recompiles the material only when the state flips. */
export function setHatched(material: MeshStandardMaterial, on: boolean): void {
  const want = on ? hatchTexture() : null;
  if (material.map === want) return;
  material.map = want;
  material.needsUpdate = true;
}
