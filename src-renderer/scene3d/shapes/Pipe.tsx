/**
 * A pipe along a polyline: a cylinder per straight run and a ball at each bend (elbow). Tinted with the
 * product colour while the flow tag shows flow above 1 % of its range.
 */
import { useFrame } from "@react-three/fiber";
import { useEffect, useMemo, useRef } from "react";
import { Color, MeshStandardMaterial, Quaternion, Vector3 } from "three";
import type { Geometry } from "../../../src-main/common/scene/schema";
import { desaturate, ease, isDegraded, liveNumber } from "../frame";
import { useTag } from "../useTag";

type PipeGeometry = Extract<Geometry, { shape: "pipe" }>;

const FLOWING = new Color("#38a8ff");
const UP = new Vector3(0, 1, 0);

interface Run {
  key: string;
  mid: [number, number, number];
  length: number;
  quaternion: Quaternion;
}

function runsOf(points: readonly (readonly [number, number, number])[]): Run[] {
  const runs: Run[] = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const a = new Vector3(...(points[k] ?? [0, 0, 0]));
    const b = new Vector3(...(points[k + 1] ?? [0, 0, 0]));
    const dir = b.clone().sub(a);
    const length = dir.length();
    if (length < 1e-6) continue;
    const mid = a.clone().add(b).multiplyScalar(0.5);
    runs.push({
      key: String(k),
      mid: [mid.x, mid.y, mid.z],
      length,
      quaternion: new Quaternion().setFromUnitVectors(UP, dir.normalize()),
    });
  }
  return runs;
}

export function Pipe({ assetId, g }: { assetId: string; g: PipeGeometry }) {
  const tag = useTag(assetId, g.flowTag);
  const index = tag?.index ?? -1;
  const threshold = tag?.range ? 0.01 * (tag.range[1] - tag.range[0]) : 0.01;
  // One material for all runs and bends so the whole line changes colour together.
  const mat = useMemo(
    () => new MeshStandardMaterial({ color: g.color, metalness: 0.55, roughness: 0.35 }),
    [g.color],
  );
  useEffect(() => () => mat.dispose(), [mat]);
  const flowing = useRef(0);
  const base = useMemo(() => new Color(g.color), [g.color]);
  const work = useMemo(() => new Color(), []);
  const runs = useMemo(() => runsOf(g.points), [g.points]);
  const bends = g.points.slice(1, -1);

  useFrame((_, dt) => {
    const m = mat;
    if (index < 0) return;
    const v = liveNumber(index);
    const on = Number.isFinite(v) && Math.abs(v) > threshold ? 1 : 0;
    flowing.current += (on - flowing.current) * ease(dt, 5);
    work.lerpColors(base, FLOWING, flowing.current * 0.85);
    if (isDegraded(index)) desaturate(work);
    m.color.copy(work);
    m.emissive.copy(work).multiplyScalar(flowing.current * 0.18);
  });

  return (
    <group>
      {runs.map((r) => (
        <mesh key={r.key} position={r.mid} quaternion={r.quaternion} material={mat} castShadow>
          <cylinderGeometry args={[g.radius, g.radius, r.length, 20]} />
        </mesh>
      ))}
      {bends.map((p, k) => (
        <mesh key={k} position={p} material={mat}>
          <sphereGeometry args={[g.radius, 20, 12]} />
        </mesh>
      ))}
    </group>
  );
}
