/** A vertical tank: translucent shell, and an inner liquid column whose height follows the fill tag. */
import { useFrame } from "@react-three/fiber";
import { useMemo, useRef } from "react";
import { Color, CylinderGeometry, DoubleSide, type Mesh, type MeshStandardMaterial } from "three";
import type { Geometry } from "../../../src-main/common/scene/schema";
import { clamp01, desaturate, ease, isDegraded, liveNumber, setHatched } from "../frame";
import { scaleRange, useTag } from "../useTag";

type TankGeometry = Extract<Geometry, { shape: "tank" }>;

export function Tank({ assetId, g }: { assetId: string; g: TankGeometry }) {
  const tag = useTag(assetId, g.fillTag);
  const [low, high] = scaleRange(g.fillRange, tag, [0, g.height]);
  const index = tag?.index ?? -1;
  const fillRef = useRef<Mesh>(null);
  const fillMat = useRef<MeshStandardMaterial>(null);
  const surfaceRef = useRef<Mesh>(null);
  const level = useRef(0);
  const fillColor = useMemo(() => new Color(g.fillColor), [g.fillColor]);
  const work = useMemo(() => new Color(), []);
  // Unit-height column standing on y = 0, so scale.y is the liquid height in metres.
  const columnGeometry = useMemo(() => new CylinderGeometry(1, 1, 1, 48).translate(0, 0.5, 0), []);

  useFrame((_, dt) => {
    const fill = fillRef.current;
    const mat = fillMat.current;
    if (!fill || !mat) return;
    const v = liveNumber(index);
    const target = index < 0 ? 0.5 : Number.isFinite(v) ? clamp01((v - low) / (high - low)) : level.current;
    level.current += (target - level.current) * ease(dt, 8);
    const h = Math.max(0.002, level.current * (g.height - 0.04));
    fill.scale.y = h;
    if (surfaceRef.current) surfaceRef.current.position.y = h + 0.02;
    const degraded = isDegraded(index);
    work.copy(fillColor);
    if (degraded) desaturate(work);
    mat.color.copy(work);
    setHatched(mat, degraded);
  });

  const r = g.radius;
  return (
    <group position={g.position}>
      {/* liquid */}
      <mesh ref={fillRef} geometry={columnGeometry} scale={[r * 0.96, 0.5, r * 0.96]} position-y={0.02} castShadow>
        <meshStandardMaterial ref={fillMat} color={g.fillColor} roughness={0.25} metalness={0.05} />
      </mesh>
      <mesh ref={surfaceRef} rotation-x={-Math.PI / 2}>
        <ringGeometry args={[r * 0.9, r * 0.96, 48]} />
        <meshBasicMaterial color="#9fd0ff" transparent opacity={0.5} />
      </mesh>
      {/* shell: translucent so the level is visible; depthWrite off so it never hides the liquid */}
      <mesh position-y={g.height / 2} renderOrder={2}>
        <cylinderGeometry args={[r, r, g.height, 48, 1, true]} />
        <meshStandardMaterial
          color={g.color}
          transparent
          opacity={0.22}
          roughness={0.15}
          metalness={0.6}
          side={DoubleSide}
          depthWrite={false}
        />
      </mesh>
      {/* rims, roof and base: the solid steel parts */}
      {[0.015, g.height].map((y) => (
        <mesh key={y} position-y={y} rotation-x={Math.PI / 2} castShadow>
          <torusGeometry args={[r, 0.03, 8, 48]} />
          <meshStandardMaterial color={g.color} metalness={0.7} roughness={0.35} />
        </mesh>
      ))}
      <mesh position-y={g.height} scale={[1, 0.18, 1]} castShadow>
        <sphereGeometry args={[r, 48, 12, 0, Math.PI * 2, 0, Math.PI / 2]} />
        <meshStandardMaterial color={g.color} metalness={0.6} roughness={0.35} transparent opacity={0.85} />
      </mesh>
      {/* level scale on the shell: quarter marks */}
      {[0.25, 0.5, 0.75].map((f) => (
        <mesh key={f} position={[0, f * g.height, r + 0.006]}>
          <boxGeometry args={[0.14, 0.012, 0.005]} />
          <meshBasicMaterial color="#c8d3de" />
        </mesh>
      ))}
    </group>
  );
}
