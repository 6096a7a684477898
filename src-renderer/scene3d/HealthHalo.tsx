/**
 * The estimator's verdict on an asset, drawn around it: a ring on the floor coloured by health (green 1,
 * amber 0.5, red 0 = at threshold) for assets with a health target, and a pulsing red outline while an
 * anomaly alarm names one of the asset's tags. Values come from `assetHealth` in useFrame; nothing allocates.
 */
import { useFrame } from "@react-three/fiber";
import { useLayoutEffect, useMemo, useRef, useState, type RefObject } from "react";
import {
  Box3,
  BoxGeometry,
  Color,
  EdgesGeometry,
  Vector3,
  type Group,
  type LineBasicMaterial,
  type LineSegments,
  type Mesh,
  type MeshBasicMaterial,
} from "three";
import { assetHealth } from "../stores/estimation";
import { desaturate, frame } from "./frame";

const HEALTHY = new Color("#2fbf71");
const WARNING = new Color("#e6b422");
const FAILED = new Color("#e5484d");
const UNKNOWN = new Color("#6c7682");
const PULSE_HZ = 1.2;

/** Green → amber → red as health goes 1 → 0.5 → 0. */
export function healthColor(out: Color, health: number): Color {
  if (Number.isNaN(health)) return out.copy(UNKNOWN);
  const h = health < 0 ? 0 : health > 1 ? 1 : health;
  return h >= 0.5 ? out.lerpColors(WARNING, HEALTHY, (h - 0.5) * 2) : out.lerpColors(FAILED, WARNING, h * 2);
}

interface Bounds {
  center: Vector3;
  radius: number;
  size: Vector3;
}

export function HealthHalo({ assetId, target }: { assetId: string; target: RefObject<Group | null> }) {
  const [bounds, setBounds] = useState<Bounds | null>(null);
  const ring = useRef<Mesh>(null);
  const ringMat = useRef<MeshBasicMaterial>(null);
  const outline = useRef<LineSegments>(null);
  const outlineMat = useRef<LineBasicMaterial>(null);
  const work = useMemo(() => new Color(), []);

  useLayoutEffect(() => {
    const g = target.current;
    if (!g) return;
    g.updateWorldMatrix(true, true);
    const b = new Box3().setFromObject(g);
    if (b.isEmpty()) return;
    const size = b.getSize(new Vector3());
    setBounds({ center: b.getCenter(new Vector3()), radius: Math.max(size.x, size.z) / 2 + 0.15, size: size.addScalar(0.28) });
  }, [target]);

  const edges = useMemo(
    () => (bounds ? new EdgesGeometry(new BoxGeometry(bounds.size.x, bounds.size.y, bounds.size.z)) : null),
    [bounds],
  );

  useFrame(({ clock }) => {
    const cell = assetHealth.get(assetId);
    const r = ring.current;
    const rm = ringMat.current;
    if (r && rm) {
      r.visible = cell?.targeted ?? false;
      if (cell?.targeted) {
        healthColor(work, cell.health);
        if (frame.stale) desaturate(work);
        rm.color.copy(work);
      }
    }
    const o = outline.current;
    const om = outlineMat.current;
    if (o && om) {
      const alarmed = (cell?.alarmed ?? false) && !frame.stale;
      o.visible = alarmed;
      if (alarmed) om.opacity = 0.35 + 0.65 * (0.5 + 0.5 * Math.sin(clock.elapsedTime * 2 * Math.PI * PULSE_HZ));
    }
  });

  if (!bounds || !edges) return null;
  return (
    <>
      <mesh
        ref={ring}
        position={[bounds.center.x, 0.012, bounds.center.z]}
        rotation-x={-Math.PI / 2}
        visible={false}
        raycast={() => null}
        renderOrder={1}
      >
        <ringGeometry args={[bounds.radius, bounds.radius + 0.09, 72]} />
        <meshBasicMaterial ref={ringMat} color="#6c7682" transparent opacity={0.9} depthWrite={false} toneMapped={false} />
      </mesh>
      <lineSegments ref={outline} geometry={edges} position={bounds.center} visible={false} raycast={() => null}>
        <lineBasicMaterial ref={outlineMat} color="#ff3b3b" transparent opacity={1} toneMapped={false} />
      </lineSegments>
    </>
  );
}
