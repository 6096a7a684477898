/**
 * The documented defects of the reference soft PLC (`twinbench softplc --defect NAME`): realistic mistakes a
 * commissioning suite must catch. Each is made in one small, commented place, marked `DEFECT <name>`:
 *
 * - missing-high-level-interlock: demo-cell-program.ts, the constructor (the interlock is left out).
 * - wrong-level-sensor-address:   soft-plc.ts, `inputAddress` (the level is read from another sensor's NodeId).
 * - hang-on-failed-sensor:        demo-cell-program.ts, `supervise` (no sequence watchdog, sensor quality ignored).
 */

export const DEFECTS = {
  "missing-high-level-interlock":
    "The high-high level interlock is missing: neither the LSHH-201 switch nor the level transmitter trips the feed pump, so the tank can overflow.",
  "wrong-level-sensor-address":
    "The tank level input is read from the wrong address (the outlet flowmeter FT-202's NodeId): the level loop and the start sequence act on the wrong signal.",
  "hang-on-failed-sensor":
    "The filling sequence has no step watchdog and ignores sensor quality: when the filler flowmeter fails or sticks, the fill valve stays open and the sequence waits for ever.",
} as const;

export type Defect = keyof typeof DEFECTS;
export const DEFECT_NAMES = Object.keys(DEFECTS) as Defect[];

export function parseDefect(name: string): Defect {
  if (!Object.hasOwn(DEFECTS, name)) throw new RangeError(`unknown defect ${JSON.stringify(name)}; documented defects: ${DEFECT_NAMES.join(", ")}`);
  return name as Defect;
}
