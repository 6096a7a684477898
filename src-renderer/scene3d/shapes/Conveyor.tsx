/**
 * A belt conveyor with the items on it. Item positions come from a DoubleArray tag (metres from the belt
 * start) at the tag's sampling rate; each frame every drawn bottle eases towards the nearest reported
 * position, so motion stays smooth between samples without a bottle jumping to its neighbour's slot.
 */
import { useFrame } from "@react-three/fiber";
import { useMemo, useRef } from "react";
import { Color, LatheGeometry, Matrix4, Vector2, type InstancedMesh } from "three";
import type { Geometry } from "../../../src-main/common/scene/schema";
import { live } from "../../stores/live";
import { desaturate, ease, isDegraded } from "../frame";
import { useTag } from "../useTag";
import { useWorkbench } from "../../stores/workbench";

type ConveyorGeometry = Extract<Geometry, { shape: "conveyor" }>;

const MAX_ITEMS = 16;
const BELT_THICKNESS = 0.08;
/** A reported item farther than this from every drawn one is new: it appears instead of sliding in. */
const MATCH_DISTANCE_M = 0.3;
const EMPTY = new Color("#cfe3ee");

function bottleGeometry(): LatheGeometry {
  // Profile of a 1 L bottle, radius by height (metres), revolved around y.
  const p = [
    [0, 0], [0.04, 0], [0.045, 0.01], [0.045, 0.16], [0.03, 0.21], [0.016, 0.235],
    [0.016, 0.27], [0.019, 0.272], [0.019, 0.285], [0, 0.285],
  ].map(([r, y]) => new Vector2(r, y));
  return new LatheGeometry(p, 20);
}

export function Conveyor({ assetId, g }: { assetId: string; g: ConveyorGeometry }) {
  const index = useTag(assetId, g.itemsTag)?.index ?? -1;
  // Bottles past the filling head are drawn full; the head's position is a model parameter when known.
  const fillerAt = useWorkbench(
    (s) => s.scene?.assets.find((a) => a.id === assetId)?.model?.params.fillerPositionM ?? -Infinity,
  );
  const mesh = useRef<InstancedMesh>(null);
  const state = useMemo(
    () => ({
      shown: new Float64Array(MAX_ITEMS),
      next: new Float64Array(MAX_ITEMS),
      used: new Uint8Array(MAX_ITEMS),
      count: 0,
      m: new Matrix4(),
      full: new Color(g.itemColor),
      color: new Color(),
    }),
    [g.itemColor],
  );
  const bottle = useMemo(bottleGeometry, []);
  const halfLength = g.length / 2;

  useFrame((_, dt) => {
    const im = mesh.current;
    if (!im) return;
    const raw = index >= 0 ? live.raw[index] : undefined;
    const items = Array.isArray(raw) ? raw : null;
    const n = items ? Math.min(items.length, MAX_ITEMS) : 0;
    const k = ease(dt, 14);
    const { shown, next, used, m, color } = state;
    used.fill(0);
    for (let j = 0; j < n; j++) {
      const target = items?.[j] ?? 0;
      let best = -1;
      let bestD = MATCH_DISTANCE_M;
      for (let p = 0; p < state.count; p++) {
        const d = Math.abs((shown[p] ?? 0) - target);
        if (used[p] === 0 && d < bestD) {
          best = p;
          bestD = d;
        }
      }
      if (best >= 0) {
        used[best] = 1;
        const from = shown[best] ?? target;
        next[j] = from + (target - from) * k;
      } else next[j] = target;
    }
    state.count = n;
    const degraded = isDegraded(index);
    for (let j = 0; j < n; j++) {
      const x = next[j] ?? 0;
      shown[j] = x;
      m.makeTranslation(x - halfLength, 0, 0);
      im.setMatrixAt(j, m);
      color.copy(x >= fillerAt ? state.full : EMPTY);
      if (degraded) desaturate(color);
      im.setColorAt(j, color);
    }
    im.count = n;
    im.instanceMatrix.needsUpdate = true;
    if (im.instanceColor) im.instanceColor.needsUpdate = true;
  });

  const w = g.width;
  const legsX = [-halfLength + 0.25, 0, halfLength - 0.25];
  return (
    <group position={g.position} rotation-y={g.rotationY}>
      {/* belt: top surface at the geometry's y */}
      <mesh position-y={-BELT_THICKNESS / 2} receiveShadow castShadow>
        <boxGeometry args={[g.length, BELT_THICKNESS, w]} />
        <meshStandardMaterial color={g.color} roughness={0.9} />
      </mesh>
      {/* end rollers */}
      {[-halfLength, halfLength].map((x) => (
        <mesh key={x} position={[x, -BELT_THICKNESS / 2, 0]} rotation-x={Math.PI / 2}>
          <cylinderGeometry args={[BELT_THICKNESS / 2 + 0.01, BELT_THICKNESS / 2 + 0.01, w + 0.02, 20]} />
          <meshStandardMaterial color="#9aa4ae" metalness={0.8} roughness={0.3} />
        </mesh>
      ))}
      {/* side guards */}
      {[-1, 1].map((side) => (
        <mesh key={side} position={[0, 0.02, side * (w / 2 + 0.02)]} castShadow>
          <boxGeometry args={[g.length, 0.1, 0.03]} />
          <meshStandardMaterial color="#c0c8d0" metalness={0.7} roughness={0.35} />
        </mesh>
      ))}
      {/* legs down to the floor */}
      {legsX.map((x) =>
        [-1, 1].map((side) => (
          <mesh key={`${x}${side}`} position={[x, -g.position[1] / 2, side * (w / 2 - 0.03)]} castShadow>
            <boxGeometry args={[0.05, g.position[1], 0.05]} />
            <meshStandardMaterial color="#56616c" metalness={0.5} roughness={0.5} />
          </mesh>
        )),
      )}
      <instancedMesh ref={mesh} args={[bottle, undefined, MAX_ITEMS]} count={0} castShadow frustumCulled={false}>
        <meshStandardMaterial roughness={0.2} metalness={0.05} transparent opacity={0.92} />
      </instancedMesh>
    </group>
  );
}
