/**
 * A box (a heat exchanger, a cabinet, a filling head). With a colour tag it shades from cold blue through
 * neutral to hot red across `colorRange`, the usual thermal convention.
 */
import { useFrame } from "@react-three/fiber";
import { useMemo, useRef } from "react";
import { BoxGeometry, Color, EdgesGeometry, type MeshStandardMaterial } from "three";
import type { Geometry } from "../../../src-main/common/scene/schema";
import { clamp01, desaturate, ease, isDegraded, liveNumber, setHatched } from "../frame";
import { scaleRange, useTag } from "../useTag";

type BoxShape = Extract<Geometry, { shape: "box" }>;

const COLD = new Color("#2f6fdb");
const NEUTRAL = new Color("#b9c2cc");
const HOT = new Color("#e0452f");

export function Box({ assetId, g }: { assetId: string; g: BoxShape }) {
  const tag = useTag(assetId, g.colorTag);
  const index = tag?.index ?? -1;
  const [low, high] = scaleRange(g.colorRange, tag, [0, 100]);
  const mat = useRef<MeshStandardMaterial>(null);
  const heat = useRef(0.5);
  const base = useMemo(() => new Color(g.color), [g.color]);
  const work = useMemo(() => new Color(), []);
  const box = useMemo(() => new BoxGeometry(g.size[0], g.size[1], g.size[2]), [g.size]);
  const edges = useMemo(() => new EdgesGeometry(box), [box]);

  useFrame((_, dt) => {
    const m = mat.current;
    if (!m) return;
    if (index < 0) {
      m.color.copy(base);
      return;
    }
    const v = liveNumber(index);
    if (Number.isFinite(v)) heat.current += (clamp01((v - low) / (high - low)) - heat.current) * ease(dt, 6);
    const h = heat.current;
    // Two-segment ramp: cold → neutral → hot, so mid-range reads as "normal", not purple.
    if (h < 0.5) work.lerpColors(COLD, NEUTRAL, h * 2);
    else work.lerpColors(NEUTRAL, HOT, (h - 0.5) * 2);
    const degraded = isDegraded(index);
    if (degraded) desaturate(work);
    m.color.copy(work);
    setHatched(m, degraded);
  });

  return (
    <group position={g.position} rotation-y={g.rotationY}>
      <mesh geometry={box} castShadow receiveShadow>
        <meshStandardMaterial ref={mat} color={g.color} metalness={0.3} roughness={0.55} />
      </mesh>
      <lineSegments geometry={edges}>
        <lineBasicMaterial color="#0d1116" transparent opacity={0.55} />
      </lineSegments>
    </group>
  );
}
