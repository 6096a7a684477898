/**
 * The live 3D twin: the scene's assets on a floor grid, lit like a hall, seen from the scene's camera,
 * with name plates over the assets. Components read live values in useFrame (see frame.ts); React only
 * re-renders this tree when the scene or the tag list changes.
 */
import { Canvas } from "@react-three/fiber";
import { useMemo, useRef } from "react";
import type { Scene } from "../../src-main/common/scene/schema";
import { useWorkbench } from "../stores/workbench";
import { AssetNode } from "./AssetNode";
import { FrameClock } from "./frame";
import { LabelLayer, LabelTracker, labelSpecs, type LabelRegistry } from "./Labels";
import { OrbitRig } from "./OrbitRig";

const BACKGROUND = "#10151b";
/** Vertical field of view, degrees: a moderate tele, so a plant cell fills the view from the scene's camera. */
const FOV = 38;

export function View3D({ scene }: { scene: Scene }) {
  const selectAsset = useWorkbench((s) => s.selectAsset);
  const tagById = useWorkbench((s) => s.tagById);
  const specs = useMemo(() => labelSpecs(scene, tagById), [scene, tagById]);
  const plates = useRef<LabelRegistry>(new Map());
  const { camera, target } = scene.view;
  return (
    <>
      <Canvas
        shadows
        frameloop="always"
        dpr={[1, 2]}
        gl={{ preserveDrawingBuffer: true, antialias: true }}
        camera={{ position: camera, fov: FOV, near: 0.1, far: 200 }}
        onPointerMissed={() => selectAsset(null)}
        data-testid="view3d"
      >
        <color attach="background" args={[BACKGROUND]} />
        <fog attach="fog" args={[BACKGROUND, 22, 60]} />
        <FrameClock />
        <OrbitRig position={camera} target={target} />
        <LabelTracker specs={specs} registry={plates} />
        <hemisphereLight args={["#dfe9f3", "#1a2129", 0.9]} />
        <directionalLight
          position={[6, 10, 6]}
          intensity={2.2}
          castShadow
          shadow-mapSize={[2048, 2048]}
          shadow-camera-left={-10}
          shadow-camera-right={10}
          shadow-camera-top={10}
          shadow-camera-bottom={-10}
          shadow-bias={-0.0005}
        />
        <directionalLight position={[-8, 5, -4]} intensity={0.5} color="#9fb8d6" />
        {/* floor: a slab that takes shadows, and a 1 m grid on it */}
        <mesh rotation-x={-Math.PI / 2} position-y={-0.002} receiveShadow raycast={() => null}>
          <planeGeometry args={[80, 80]} />
          <meshStandardMaterial color="#1a2129" roughness={0.95} />
        </mesh>
        <gridHelper args={[40, 40, "#3a4a5a", "#26303a"]} raycast={() => null} />
        {scene.assets.map((a) => (a.geometry.length > 0 ? <AssetNode key={a.id} asset={a} /> : null))}
      </Canvas>
      <LabelLayer specs={specs} registry={plates} />
    </>
  );
}
