/**
 * The workbench window: 3D view top-left, trend under it, assets and tags on the right (with the selected
 * asset's estimator inspector above them), status at the bottom. Starts the session with the host once and shows why nothing is there while it is not.
 */
import { useEffect } from "react";
import { startSession } from "./api/session";
import { InspectorPanel } from "./panels/Inspector";
import { TagPanel } from "./panels/TagTable";
import { StatusBar } from "./panels/StatusBar";
import { requestViewReset } from "./scene3d/OrbitRig";
import { View3D } from "./scene3d/View3D";
import { useWorkbench } from "./stores/workbench";
import { LinkBanner } from "./LinkBanner";
import { WorkspaceDock } from "./dock/WorkspaceDock";
import { LoginPage } from "./auth/LoginPage";
import { UserMenu } from "./auth/UserMenu";

export function App() {
  useEffect(() => startSession(), []);
  const scene = useWorkbench((s) => s.scene);
  const selected = useWorkbench((s) => s.scene?.assets.find((a) => a.id === s.selectedAssetId) ?? null);
  const selectedName = selected?.name;
  const dockExpanded = useWorkbench((s) => s.dockExpanded);
  const needsLogin = useWorkbench((s) => s.phase === "login");
  if (needsLogin) return <LoginPage />;

  return (
    <div className={`workbench${dockExpanded ? " dock-expanded" : ""}`}>
      <header className="title-bar">
        <span className="brand">TWINBENCH</span>
        <span className="title-scene">{scene?.name ?? "—"}</span>
        {scene?.description ? <span className="title-description">{scene.description}</span> : null}
        <UserMenu />
      </header>
      <main className="view-pane panel" aria-label="3D view">
        {scene ? (
          <>
            <View3D scene={scene} />
            <div className="view-overlay">
              <span className="view-hint">drag: orbit · right-drag: pan · wheel: zoom · click: select</span>
              {selectedName ? <span className="view-selected">{selectedName}</span> : null}
              <button type="button" className="ghost" onClick={requestViewReset}>
                Reset view
              </button>
            </div>
          </>
        ) : null}
        <LinkBanner />
      </main>
      <WorkspaceDock />
      <div className={`side-column${selected ? " has-inspector" : ""}`}>
        {selected ? <InspectorPanel key={selected.id} asset={selected} /> : null}
        <TagPanel />
      </div>
      <StatusBar />
    </div>
  );
}
