/**
 * A small orbit camera (no drei): left-drag orbits around the target, right-drag or shift-drag pans,
 * the wheel zooms. Pointer input moves a goal; every frame the camera eases towards it, which makes
 * motion smooth and frame-rate independent. `requestViewReset()` flies back to the scene's start view.
 */
import { useFrame, useThree } from "@react-three/fiber";
import { useEffect, useMemo } from "react";
import { Spherical, Vector3, type PerspectiveCamera } from "three";
import { ease } from "./frame";

const MIN_RADIUS = 1.5;
const MAX_RADIUS = 60;
/** Keep the camera above the floor and off the pole. */
const MIN_POLAR = 0.05;
const MAX_POLAR = Math.PI / 2 - 0.03;
const ROTATE_PER_PX = 0.006;

let resetRequested = false;
/** Asks the rig to return to the start view on the next frame. */
export function requestViewReset(): void {
  resetRequested = true;
}

interface Props {
  position: readonly [number, number, number];
  target: readonly [number, number, number];
}

export function OrbitRig({ position, target }: Props) {
  const camera = useThree((s) => s.camera);
  const element = useThree((s) => s.gl.domElement);
  const rig = useMemo(() => {
    const home = new Vector3(...position).sub(new Vector3(...target));
    const goal = new Spherical().setFromVector3(home);
    return {
      homeSpherical: goal.clone(),
      homeTarget: new Vector3(...target),
      goal,
      current: goal.clone(),
      goalTarget: new Vector3(...target),
      currentTarget: new Vector3(...target),
      offset: new Vector3(),
      right: new Vector3(),
      up: new Vector3(),
    };
  }, [position, target]);

  useEffect(() => {
    let mode: "rotate" | "pan" | null = null;
    let lastX = 0;
    let lastY = 0;
    const onDown = (e: PointerEvent) => {
      mode = e.button === 2 || e.shiftKey ? "pan" : e.button === 0 ? "rotate" : null;
      if (!mode) return;
      lastX = e.clientX;
      lastY = e.clientY;
      element.setPointerCapture(e.pointerId);
    };
    const onMove = (e: PointerEvent) => {
      if (!mode) return;
      const dx = e.clientX - lastX;
      const dy = e.clientY - lastY;
      lastX = e.clientX;
      lastY = e.clientY;
      const { goal, goalTarget, right, up } = rig;
      if (mode === "rotate") {
        goal.theta -= dx * ROTATE_PER_PX;
        goal.phi = Math.min(MAX_POLAR, Math.max(MIN_POLAR, goal.phi - dy * ROTATE_PER_PX));
      } else {
        // Pan in the camera's screen plane, scaled so the ground under the cursor roughly follows it.
        const perPx = (2 * goal.radius * Math.tan((Math.PI / 360) * (camera as PerspectiveCamera).fov)) / Math.max(1, element.clientHeight);
        right.setFromMatrixColumn(camera.matrix, 0).multiplyScalar(-dx * perPx);
        up.setFromMatrixColumn(camera.matrix, 1).multiplyScalar(dy * perPx);
        goalTarget.add(right).add(up);
        goalTarget.y = Math.max(0, goalTarget.y);
      }
    };
    const onUp = (e: PointerEvent) => {
      mode = null;
      if (element.hasPointerCapture(e.pointerId)) element.releasePointerCapture(e.pointerId);
    };
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const factor = Math.exp(Math.sign(e.deltaY) * Math.min(Math.abs(e.deltaY), 100) * 0.0015);
      rig.goal.radius = Math.min(MAX_RADIUS, Math.max(MIN_RADIUS, rig.goal.radius * factor));
    };
    const onContextMenu = (e: Event) => e.preventDefault();
    element.addEventListener("pointerdown", onDown);
    element.addEventListener("pointermove", onMove);
    element.addEventListener("pointerup", onUp);
    element.addEventListener("pointercancel", onUp);
    element.addEventListener("wheel", onWheel, { passive: false });
    element.addEventListener("contextmenu", onContextMenu);
    return () => {
      element.removeEventListener("pointerdown", onDown);
      element.removeEventListener("pointermove", onMove);
      element.removeEventListener("pointerup", onUp);
      element.removeEventListener("pointercancel", onUp);
      element.removeEventListener("wheel", onWheel);
      element.removeEventListener("contextmenu", onContextMenu);
    };
  }, [element, camera, rig]);

  useFrame((_, dt) => {
    const { goal, current, goalTarget, currentTarget, offset } = rig;
    if (resetRequested) {
      resetRequested = false;
      goal.copy(rig.homeSpherical);
      goalTarget.copy(rig.homeTarget);
    }
    const k = ease(dt, 12);
    current.theta += (goal.theta - current.theta) * k;
    current.phi += (goal.phi - current.phi) * k;
    current.radius += (goal.radius - current.radius) * k;
    currentTarget.lerp(goalTarget, k);
    offset.setFromSpherical(current);
    camera.position.copy(currentTarget).add(offset);
    camera.lookAt(currentTarget);
  });

  return null;
}
