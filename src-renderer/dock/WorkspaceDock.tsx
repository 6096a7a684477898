/**
 * The workspace dock under the 3D view: the live trend and the panels of panels/index.ts as tabs that can be
 * rearranged, split and floated (dockview). Panels the user's role cannot use are not offered.
 */
import { DockviewReact, themeDark, type DockviewReadyEvent, type IDockviewHeaderActionsProps, type IDockviewPanelProps } from "dockview-react";
import "dockview-react/dist/styles/dockview.css";
import { Suspense, useMemo, type FunctionComponent } from "react";
import { DOCK_PANELS } from "../panels";
import { TrendPanel } from "../panels/Trend";
import { roleAtLeast } from "../stores/auth";
import { useWorkbench } from "../stores/workbench";

function Loading() {
  return <div className="dock-loading">Loading…</div>;
}

const TREND = { id: "trend", title: "Trend" };

/** Reopens a closed tab in this group, and grows or shrinks the dock. */
function DockActions(props: IDockviewHeaderActionsProps) {
  const expanded = useWorkbench((s) => s.dockExpanded);
  const toggle = useWorkbench((s) => s.toggleDock);
  const role = useWorkbench((s) => s.user?.role);
  const closed = [TREND, ...DOCK_PANELS.filter((p) => roleAtLeast(role, p.role))].filter((p) => !props.containerApi.getPanel(p.id));
  return (
    <div className="dock-actions">
      {closed.length > 0 ? (
        <select
          className="dock-reopen"
          aria-label="Reopen a panel"
          value=""
          onChange={(e) => {
            const spec = closed.find((p) => p.id === e.target.value);
            if (spec) props.containerApi.addPanel({ id: spec.id, component: spec.id, title: spec.title, position: { referenceGroup: props.group } });
          }}
        >
          <option value="">+ panel</option>
          {closed.map((p) => (
            <option key={p.id} value={p.id}>
              {p.title}
            </option>
          ))}
        </select>
      ) : null}
      <button type="button" className="ghost dock-expand" data-testid="dock-expand" title={expanded ? "Give the 3D view its space back" : "Give the dock more room"} onClick={toggle}>
      {expanded ? "▾" : "▴"}
      </button>
    </div>
  );
}

export function WorkspaceDock() {
  const role = useWorkbench((s) => s.user?.role);
  const panels = useMemo(() => DOCK_PANELS.filter((p) => roleAtLeast(role, p.role)), [role]);
  const components = useMemo(() => {
    const map: Record<string, FunctionComponent<IDockviewPanelProps>> = { trend: () => <TrendPanel /> };
    for (const p of panels) {
      const Panel = p.component;
      map[p.id] = () => (
        <Suspense fallback={<Loading />}>
          <Panel />
        </Suspense>
      );
    }
    return map;
  }, [panels]);

  const onReady = (event: DockviewReadyEvent) => {
    const trend = event.api.addPanel({ id: "trend", component: "trend", title: "Trend" });
    for (const p of panels) event.api.addPanel({ id: p.id, component: p.id, title: p.title, position: { referencePanel: "trend", direction: "within" }, inactive: true });
    trend.api.setActive();
  };

  return (
    <div className="workspace-dock" data-testid="workspace-dock">
      <DockviewReact key={role ?? "none"} theme={themeDark} components={components} onReady={onReady} rightHeaderActionsComponent={DockActions} />
    </div>
  );
}
