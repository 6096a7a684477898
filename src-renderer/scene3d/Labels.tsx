/**
 * Name plates over the assets, as on a plant schematic: the asset's name and its headline value.
 *
 * The plates are plain DOM over the canvas (crisp text, no font atlas). <LabelTracker> runs inside the
 * canvas and, each frame, projects every asset's anchor to the screen and moves its plate, writing to the
 * DOM only when a plate actually moved; the value text is refreshed at most four times a second.
 */
import { useFrame, useThree } from "@react-three/fiber";
import { useMemo, type RefObject } from "react";
import { Box3, Vector3 } from "three";
import type { TagInfo } from "../../src-main/common/api/contract";
import type { Asset, Geometry, Scene } from "../../src-main/common/scene/schema";
import { formatValue } from "../format/value";
import { live } from "../stores/live";
import { useWorkbench } from "../stores/workbench";
import { isDegraded } from "./frame";

export interface LabelSpec {
  asset: Asset;
  /** Which drawn part the plate sits on: the first that is not a pipe (pipes wander off to neighbours). */
  part: number;
  /** The tag whose value the plate shows, if the asset draws one. */
  tag: TagInfo | undefined;
}

export type LabelRegistry = Map<string, { plate: HTMLElement; value: HTMLElement | null }>;

/** The tag that best sums up a drawn part: a tank's level, a pump's speed, a box's temperature… */
function headlineKey(g: Geometry): string | undefined {
  switch (g.shape) {
    case "tank":
      return g.fillTag;
    case "pump":
      return g.speedTag ?? g.runningTag;
    case "box":
      return g.colorTag;
    case "conveyor":
      return g.itemsTag;
    case "pipe":
      return g.flowTag;
  }
}

export function labelSpecs(scene: Scene, tagById: Record<string, TagInfo>): LabelSpec[] {
  return scene.assets
    .filter((a) => a.geometry.length > 0)
    .map((asset) => {
      const key = asset.geometry.map(headlineKey).find((k) => k !== undefined);
      const part = Math.max(0, asset.geometry.findIndex((g) => g.shape !== "pipe"));
      return { asset, part, tag: key ? tagById[`${asset.id}.${key}`] : undefined };
    });
}

/** The DOM layer; lives next to the <Canvas>. */
export function LabelLayer({ specs, registry }: { specs: readonly LabelSpec[]; registry: RefObject<LabelRegistry> }) {
  const selectAsset = useWorkbench((s) => s.selectAsset);
  const selected = useWorkbench((s) => s.selectedAssetId);
  return (
    <div className="label-layer" aria-hidden="true">
      {specs.map(({ asset, tag }) => (
        <div
          key={asset.id}
          className={`plate${selected === asset.id ? " selected" : ""}`}
          data-asset={asset.id}
          ref={(el) => {
            if (el) registry.current.set(asset.id, { plate: el, value: el.querySelector(".plate-value") });
            else registry.current.delete(asset.id);
          }}
          onClick={() => selectAsset(asset.id)}
        >
          <span className="plate-name">{asset.name}</span>
          {tag ? <span className="plate-value">—</span> : null}
        </div>
      ))}
    </div>
  );
}

const TEXT_PERIOD_S = 0.25;

/** Inside the canvas: places the plates. */
export function LabelTracker({ specs, registry }: { specs: readonly LabelSpec[]; registry: RefObject<LabelRegistry> }) {
  const scene = useThree((s) => s.scene);
  const state = useMemo(
    () => ({
      anchors: specs.map(() => new Vector3()),
      measured: specs.map(() => false),
      lastX: new Float32Array(specs.length).fill(NaN),
      lastY: new Float32Array(specs.length).fill(NaN),
      box: new Box3(),
      p: new Vector3(),
      sinceText: TEXT_PERIOD_S,
    }),
    [specs],
  );

  useFrame(({ camera, size }, dt) => {
    state.sinceText += dt;
    const refreshText = state.sinceText >= TEXT_PERIOD_S;
    if (refreshText) state.sinceText = 0;
    for (let k = 0; k < specs.length; k++) {
      const spec = specs[k];
      const anchor = state.anchors[k];
      if (!spec || !anchor) continue;
      const entry = registry.current.get(spec.asset.id);
      if (!entry) continue;
      if (!state.measured[k]) {
        // Measured once, on the first frame the asset's part exists: top centre of its bounds.
        const part = scene.getObjectByName(spec.asset.id)?.children[spec.part];
        if (!part) continue;
        state.box.setFromObject(part);
        if (state.box.isEmpty()) continue;
        state.box.getCenter(anchor);
        anchor.y = state.box.max.y + 0.12;
        state.measured[k] = true;
      }
      const p = state.p.copy(anchor).project(camera);
      const visible = p.z < 1;
      const x = Math.round(((p.x + 1) / 2) * size.width);
      const y = Math.round(((1 - p.y) / 2) * size.height);
      if (x !== state.lastX[k] || y !== state.lastY[k]) {
        state.lastX[k] = x;
        state.lastY[k] = y;
        entry.plate.style.transform = `translate(-50%, -100%) translate(${x}px, ${y}px)`;
        entry.plate.style.visibility = visible ? "visible" : "hidden";
      }
      if (refreshText && spec.tag && entry.value) {
        const i = spec.tag.index;
        entry.value.textContent = formatValue(spec.tag, live.raw[i]);
        entry.plate.classList.toggle("degraded", isDegraded(i));
      }
    }
  });
  return null;
}
