/** Says, over the 3D view, why the picture is not live: connecting, loading, lost link (with retry), error. */
import { useTick } from "./stores/tick";
import { useWorkbench } from "./stores/workbench";

export function LinkBanner() {
  useTick(250);
  const phase = useWorkbench((s) => s.phase);
  const detail = useWorkbench((s) => s.phaseDetail);
  const retryAt = useWorkbench((s) => s.retryAt);
  const hasScene = useWorkbench((s) => s.scene !== null);
  if (phase === "live") return null;

  let text: string;
  if (phase === "connecting") text = "Connecting to the Twinbench host…";
  else if (phase === "loading") text = "Loading scene and tags…";
  else if (phase === "disconnected") {
    const s = retryAt ? Math.max(0, Math.ceil((retryAt - Date.now()) / 1000)) : 0;
    text = `Disconnected from the host (${detail || "connection lost"}). ${s > 0 ? `Retrying in ${s} s…` : "Retrying…"}`;
  } else text = `The host's answer could not be used: ${detail}`;

  return (
    <div className={`link-banner phase-${phase}${hasScene ? "" : " full"}`} role="alert" data-testid="link-banner" data-phase={phase}>
      {text}
      {hasScene && phase !== "loading" ? <small>The values shown are the last known ones.</small> : null}
    </div>
  );
}
