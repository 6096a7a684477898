/**
 * A centrifugal pump: base plate, volute casing facing the viewer with a visible impeller, motor behind.
 * Casing colour: green running, grey stopped, red tripped. The impeller turns in proportion to speed
 * (scaled down: a real 2900 rpm would only strobe on a 60 Hz screen).
 */
import { useFrame } from "@react-three/fiber";
import { useMemo, useRef } from "react";
import { Color, type Group, type MeshStandardMaterial } from "three";
import type { Geometry } from "../../../src-main/common/scene/schema";
import { desaturate, ease, isDegraded, liveNumber, setHatched } from "../frame";
import { useTag } from "../useTag";

type PumpGeometry = Extract<Geometry, { shape: "pump" }>;

const RUNNING = new Color("#2fbf71");
const STOPPED = new Color("#7b8794");
const TRIPPED = new Color("#e5484d");
/** Drawn revolutions per real revolution. */
const VISUAL_SPEED = 1 / 40;
/** Impeller speed shown when only a running flag is bound. */
const NOMINAL_RPM = 1500;
const VANES = [0, 1, 2, 3, 4, 5];

export function Pump({ assetId, g }: { assetId: string; g: PumpGeometry }) {
  const runningIdx = useTag(assetId, g.runningTag)?.index ?? -1;
  const speedIdx = useTag(assetId, g.speedTag)?.index ?? -1;
  const faultIdx = useTag(assetId, g.faultTag)?.index ?? -1;
  const impeller = useRef<Group>(null);
  const casingMat = useRef<MeshStandardMaterial>(null);
  const rpm = useRef(0);
  const work = useMemo(() => new Color(), []);

  useFrame((_, dt) => {
    const tripped = liveNumber(faultIdx) === 1;
    const runFlag = liveNumber(runningIdx);
    const speed = liveNumber(speedIdx);
    const running = runningIdx >= 0 ? runFlag === 1 : Number.isFinite(speed) && speed > 1;
    const targetRpm = Number.isFinite(speed) ? Math.max(0, speed) : running ? NOMINAL_RPM : 0;
    rpm.current += (targetRpm - rpm.current) * ease(dt, 2.5); // spin-up / coast-down inertia
    if (impeller.current) impeller.current.rotation.z -= (rpm.current / 60) * 2 * Math.PI * VISUAL_SPEED * dt;

    const mat = casingMat.current;
    if (!mat) return;
    const degraded = isDegraded(runningIdx) || isDegraded(speedIdx) || isDegraded(faultIdx);
    work.copy(tripped ? TRIPPED : running ? RUNNING : STOPPED);
    if (degraded) desaturate(work);
    mat.color.copy(work);
    mat.emissive.copy(work).multiplyScalar(tripped && !degraded ? 0.35 : 0.08);
    setHatched(mat, degraded);
  });

  const s = g.size;
  const casingR = s * 0.42;
  return (
    <group position={g.position} rotation-y={g.rotationY}>
      {/* base plate under pump and motor */}
      <mesh position={[0, -s * 0.5 + s * 0.04, -s * 0.35]} castShadow receiveShadow>
        <boxGeometry args={[s * 1.05, s * 0.08, s * 1.5]} />
        <meshStandardMaterial color="#3a434d" metalness={0.4} roughness={0.7} />
      </mesh>
      {/* volute casing, axis towards +z (the viewer) */}
      <mesh rotation-x={Math.PI / 2} castShadow>
        <cylinderGeometry args={[casingR, casingR, s * 0.32, 40]} />
        <meshStandardMaterial ref={casingMat} color="#7b8794" metalness={0.35} roughness={0.45} />
      </mesh>
      {/* suction and discharge stubs along the pipe line (x) */}
      {[-1, 1].map((side) => (
        <mesh key={side} position={[side * s * 0.5, 0, 0]} rotation-z={Math.PI / 2} castShadow>
          <cylinderGeometry args={[s * 0.13, s * 0.13, s * 0.2, 20]} />
          <meshStandardMaterial color="#8c96a1" metalness={0.6} roughness={0.35} />
        </mesh>
      ))}
      {/* impeller behind a dark eye, visible from the front */}
      <mesh position-z={s * 0.161}>
        <circleGeometry args={[casingR * 0.86, 40]} />
        <meshStandardMaterial color="#1b2128" roughness={0.9} />
      </mesh>
      <group ref={impeller} position-z={s * 0.17}>
        {VANES.map((k) => (
          <mesh key={k} rotation-z={(k / VANES.length) * Math.PI * 2} position={[0, 0, 0]}>
            <boxGeometry args={[casingR * 1.5, s * 0.05, s * 0.02]} />
            <meshStandardMaterial color="#d9dee3" metalness={0.8} roughness={0.25} />
          </mesh>
        ))}
        <mesh rotation-x={Math.PI / 2}>
          <cylinderGeometry args={[s * 0.07, s * 0.07, s * 0.04, 16]} />
          <meshStandardMaterial color="#f0b429" metalness={0.5} roughness={0.4} />
        </mesh>
      </group>
      {/* motor with cooling fins, behind the pump */}
      <group position={[0, 0, -s * 0.62]} rotation-x={Math.PI / 2}>
        <mesh castShadow>
          <cylinderGeometry args={[s * 0.3, s * 0.3, s * 0.8, 32]} />
          <meshStandardMaterial color="#34495e" metalness={0.5} roughness={0.5} />
        </mesh>
        {[-0.3, -0.15, 0, 0.15, 0.3].map((y) => (
          <mesh key={y} position-y={y * s}>
            <cylinderGeometry args={[s * 0.33, s * 0.33, s * 0.04, 32]} />
            <meshStandardMaterial color="#2c3e50" metalness={0.5} roughness={0.5} />
          </mesh>
        ))}
      </group>
    </group>
  );
}
