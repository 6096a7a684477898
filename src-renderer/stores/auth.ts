/** Slice: who is logged in on this page (the main process checks every call; this only shapes the UI). */
import type { StateCreator } from "zustand";
import type { User } from "../../src-main/common/api/governance";
import type { Workbench } from "./workbench";

export interface AuthSlice {
  /** Null until the host said who we are. */
  user: User | null;
  /** True on a first run: no user exists yet, the page asks for the admin's password. */
  setupRequired: boolean;
  /** When the session ends without activity (host clock), null when logged out. */
  sessionExpiresAt: number | null;
  /** Why the login page is shown again (session expired, logged out). */
  authNotice: string;
  dockExpanded: boolean;
  setAuth(auth: { user: User | null; setupRequired: boolean; expiresAt: number | null; notice?: string }): void;
  toggleDock(): void;
}

export const createAuthSlice: StateCreator<Workbench, [], [], AuthSlice> = (set) => ({
  user: null,
  setupRequired: false,
  sessionExpiresAt: null,
  authNotice: "",
  dockExpanded: false,
  setAuth: ({ user, setupRequired, expiresAt, notice = "" }) => set({ user, setupRequired, sessionExpiresAt: expiresAt, authNotice: notice }),
  toggleDock: () => set((s) => ({ dockExpanded: !s.dockExpanded })),
});

export { roleAtLeast } from "../../src-main/common/api/governance";
