/**
 * One asset in the 3D view: its geometry parts, clickable as a whole. Clicking selects the asset (the side
 * panel follows); the selected one gets a bracket box, a hovered one a faint one. With an estimator running,
 * its health halo (see HealthHalo.tsx) is drawn around it.
 */
import type { ThreeEvent } from "@react-three/fiber";
import { useLayoutEffect, useMemo, useRef, useState, type RefObject } from "react";
import { Box3, BoxGeometry, EdgesGeometry, Vector3, type Group } from "three";
import type { Asset, Geometry } from "../../src-main/common/scene/schema";
import { useWorkbench } from "../stores/workbench";
import { HealthHalo } from "./HealthHalo";
import { Box } from "./shapes/Box";
import { Conveyor } from "./shapes/Conveyor";
import { Pipe } from "./shapes/Pipe";
import { Pump } from "./shapes/Pump";
import { Tank } from "./shapes/Tank";

/** A drag of more than this many pixels is an orbit, not a click. */
const CLICK_SLOP_PX = 4;

function Part({ assetId, g }: { assetId: string; g: Geometry }) {
  switch (g.shape) {
    case "tank":
      return <Tank assetId={assetId} g={g} />;
    case "pump":
      return <Pump assetId={assetId} g={g} />;
    case "box":
      return <Box assetId={assetId} g={g} />;
    case "conveyor":
      return <Conveyor assetId={assetId} g={g} />;
    case "pipe":
      return <Pipe assetId={assetId} g={g} />;
  }
}

export function AssetNode({ asset }: { asset: Asset }) {
  const selected = useWorkbench((s) => s.selectedAssetId === asset.id);
  const selectAsset = useWorkbench((s) => s.selectAsset);
  const estimating = useWorkbench((s) => s.estimationInfo?.running ?? false);
  const [hovered, setHovered] = useState(false);
  const group = useRef<Group>(null);

  const onClick = (e: ThreeEvent<MouseEvent>) => {
    if (e.delta > CLICK_SLOP_PX) return;
    e.stopPropagation(); // the nearest asset wins, not everything behind it
    selectAsset(selected ? null : asset.id);
  };
  const onOver = (e: ThreeEvent<PointerEvent>) => {
    e.stopPropagation();
    setHovered(true);
    document.body.style.cursor = "pointer";
  };
  const onOut = () => {
    setHovered(false);
    document.body.style.cursor = "";
  };

  return (
    <>
      <group ref={group} name={asset.id} onClick={onClick} onPointerOver={onOver} onPointerOut={onOut}>
        {asset.geometry.map((g, k) => (
          <Part key={k} assetId={asset.id} g={g} />
        ))}
      </group>
      {estimating ? <HealthHalo assetId={asset.id} target={group} /> : null}
      {selected || hovered ? <Brackets target={group} strong={selected} /> : null}
    </>
  );
}

/** The bounding box of the asset, drawn as edges just outside it. Measured once when shown. */
function Brackets({ target, strong }: { target: RefObject<Group | null>; strong: boolean }) {
  const [box, setBox] = useState<{ center: Vector3; size: Vector3 } | null>(null);
  useLayoutEffect(() => {
    const g = target.current;
    if (!g) return;
    g.updateWorldMatrix(true, true);
    const b = new Box3().setFromObject(g);
    if (b.isEmpty()) return;
    setBox({ center: b.getCenter(new Vector3()), size: b.getSize(new Vector3()).addScalar(0.12) });
  }, [target]);
  const edges = useMemo(
    () => (box ? new EdgesGeometry(new BoxGeometry(box.size.x, box.size.y, box.size.z)) : null),
    [box],
  );
  if (!box || !edges) return null;
  return (
    <lineSegments geometry={edges} position={box.center} raycast={() => null}>
      <lineBasicMaterial color={strong ? "#3fd0ff" : "#8fb3c8"} transparent opacity={strong ? 1 : 0.45} />
    </lineSegments>
  );
}
