/**
 * The panels of the workspace dock, registered lazily (each is its own chunk, loaded when first shown).
 * A panel is listed for callers whose role is at least `role`; the main process checks every call anyway.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from "react";
import type { Role } from "../../src-main/common/api/governance";

export interface DockPanelSpec {
  id: string;
  title: string;
  role: Role;
  component: LazyExoticComponent<ComponentType>;
}

export const DOCK_PANELS: readonly DockPanelSpec[] = [
  { id: "history", title: "History", role: "viewer", component: lazy(() => import("./History")) },
  { id: "whatif", title: "What-if", role: "viewer", component: lazy(() => import("./Whatif")) },
  { id: "approvals", title: "Approvals", role: "viewer", component: lazy(() => import("./Approvals")) },
  { id: "connections", title: "Connections", role: "viewer", component: lazy(() => import("./Connections")) },
  { id: "address-space", title: "Address space", role: "engineer", component: lazy(() => import("./AddressSpace")) },
  { id: "commissioning", title: "Commissioning", role: "viewer", component: lazy(() => import("./Commissioning")) },
  { id: "audit", title: "Audit trail", role: "engineer", component: lazy(() => import("./Audit")) },
  { id: "users", title: "Users", role: "admin", component: lazy(() => import("./Users")) },
];
