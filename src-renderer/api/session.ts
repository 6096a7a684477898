/**
 * Keeps the stores in step with the host: on every (re)connect it loads app info, scene, tag list, plant
 * status, the value snapshot and the trend history; between reconnects it feeds the events into the stores.
 *
 * Results of requests are checked against the contract's schemas (the slow path, once per connect); the
 * `tags.values` events are checked sample by sample in the live store (the hot path).
 */
import { PlantStatus } from "../../src-main/common/api/contract";
import { EstimateSnapshot } from "../../src-main/common/api/estimation";
import type { ApiClient } from "../../src-main/common/api/client";
import { live } from "../stores/live";
import { sameTagList, tagSlots } from "../stores/session";
import { hostNow, useWorkbench } from "../stores/workbench";
import { connectApi, onTransportState, transportKind } from "./transport";
import { call, onUnauthorised } from "./request";
import { ApiError } from "../../src-main/common/api/contract";
import type { SessionGrant } from "../../src-main/common/api/governance";

/** The login token, per browser tab: a reload keeps the login, a new tab logs in again. */
const SESSION_KEY = "twinbench.session";
/** How often we ask who we are, to notice an expired session while idle (passive: it does not extend it). */
const WHOAMI_EVERY_MS = 20_000;

function storedToken(): string | undefined {
  try {
    return sessionStorage.getItem(SESSION_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function storeToken(token: string | undefined): void {
  try {
    if (token === undefined) sessionStorage.removeItem(SESSION_KEY);
    else sessionStorage.setItem(SESSION_KEY, token);
  } catch {
    // Storage may be off (private mode): the login then lasts until the page is reloaded.
  }
}

/** Set while a session runs: loads everything again (after a login) or returns to the login page. */
let restart: ((notice?: string) => void) | null = null;

function begin(grant: SessionGrant): void {
  storeToken(grant.token);
  connectApi().setSession(grant.token);
  restart?.();
}

/** Logs in; resolves when the workbench starts loading, rejects with the host's reason. */
export async function logIn(username: string, password: string): Promise<void> {
  begin(await call(connectApi(), "auth.login", { username, password }));
}

/** First run only: creates the administrator and logs in. */
export async function setUpAdmin(username: string, password: string, displayName?: string): Promise<void> {
  begin(await call(connectApi(), "auth.setupAdmin", displayName ? { username, password, displayName } : { username, password }));
}

export async function logOut(): Promise<void> {
  try {
    await call(connectApi(), "auth.logout", {});
  } finally {
    storeToken(undefined);
    connectApi().setSession(undefined);
    restart?.("You have logged out.");
  }
}

const HISTORY_WINDOW_MS = 10 * 60_000;
/** The host downsamples to this; the chart shows ~600, the rest is headroom for zooming the window. */
const HISTORY_MAX_POINTS = 3_000;

/** Fetches history for the given tags and merges it into their trend rings. */
async function loadHistory(client: ApiClient, tagIds: readonly string[]): Promise<void> {
  const { tagById } = useWorkbench.getState();
  const known = tagIds.filter((id) => tagById[id] !== undefined);
  for (let k = 0; k < known.length; k += 32) {
    const series = await call(client, "trend.history", {
      tagIds: known.slice(k, k + 32),
      since: hostNow() - HISTORY_WINDOW_MS,
      maxPoints: HISTORY_MAX_POINTS,
    });
    for (const s of series) {
      const tag = tagById[s.tagId];
      if (tag) live.mergeHistory(tag.index, s.t, s.v);
    }
  }
}

/** Loads the estimator's layout and its newest estimate (events bring the following ones). */
async function loadEstimation(client: ApiClient, current: () => boolean): Promise<void> {
  const info = await call(client, "estimation.info", {});
  if (!current()) return;
  const s = useWorkbench.getState();
  s.setEstimationInfo(info);
  if (!info.running) return;
  const latest = await call(client, "estimation.latest", {});
  if (current() && latest) s.setEstimate(latest);
}

/** Starts syncing; returns a function that stops it. Call once per page. */
export function startSession(): () => void {
  const client = connectApi();
  const store = useWorkbench;
  // Every connect starts a new generation; answers from an older one are dropped.
  let generation = 0;

  /** Asks the host who this page is logged in as; false (and the login page) when nobody. */
  const authenticate = async (gen: number, notice: string): Promise<boolean> => {
    const s = store.getState();
    const token = storedToken();
    client.setSession(token);
    const who = await call(client, "auth.whoami", {});
    if (gen !== generation) return false;
    if (!who.user) {
      if (token !== undefined) storeToken(undefined);
      client.setSession(undefined);
      s.setAuth({ user: null, setupRequired: who.setupRequired, expiresAt: null, notice: notice || (token ? "Your session has ended; log in again." : "") });
      s.setPhase("login");
      return false;
    }
    s.setAuth({ user: who.user, setupRequired: false, expiresAt: who.expiresAt });
    return true;
  };

  const load = async (gen: number, notice = "") => {
    const s = store.getState();
    s.setPhase("loading");
    try {
      if (!(await authenticate(gen, notice))) return;
      const [appInfo, scene, tags, status] = await Promise.all([
        call(client, "app.info", {}),
        call(client, "scene.get", {}),
        call(client, "tags.list", {}),
        call(client, "plant.status", {}),
      ]);
      if (gen !== generation) return;
      const tagsChanged = !sameTagList(store.getState().tags, tags);
      if (tagsChanged) live.reset(tagSlots(tags));
      s.setLoaded({ transport: transportKind(), appInfo, scene, tags });
      s.setPlantStatus(status);
      if (tagsChanged) {
        s.resetTrend(tags);
        const selected = store.getState().selectedAssetId;
        if (selected && !scene.assets.some((a) => a.id === selected)) s.selectAsset(null);
      }
      const snapshot = await call(client, "tags.snapshot", {});
      if (gen !== generation) return;
      live.applySnapshot(snapshot);
      s.setPhase("live");
    } catch (err) {
      if (gen !== generation) return; // the link dropped meanwhile; the reconnect will load again
      const message = err instanceof Error ? err.message : String(err);
      console.error("twinbench: loading from the host failed:", err);
      s.setPhase("error", message);
      return;
    }
    // The estimator is optional: a scene without one (or a host that fails to answer) leaves the rest working.
    loadEstimation(client, () => gen === generation).catch((err: unknown) =>
      console.warn("twinbench: estimation info failed:", err),
    );
    // Live values already flow; a history that fails only leaves the trend shorter, so it is not an error state.
    loadHistory(client, store.getState().trendTagIds).catch((err: unknown) =>
      console.warn("twinbench: trend history failed:", err),
    );
  };

  const offValues = client.on("tags.values", (payload) => {
    const samples = (payload as { samples?: unknown } | null)?.samples;
    if (Array.isArray(samples)) live.ingest(samples);
  });
  const offEstimate = client.on("estimation.estimate", (payload) => {
    const parsed = EstimateSnapshot.safeParse(payload);
    if (parsed.success) store.getState().setEstimate(parsed.data);
  });
  const offStatus = client.on("plant.status", (payload) => {
    const parsed = PlantStatus.safeParse(payload);
    if (parsed.success) store.getState().setPlantStatus(parsed.data);
  });
  restart = (notice = "") => {
    generation += 1;
    void load(generation, notice);
  };
  // A call refused for want of a session means it expired: back to the login page.
  const offUnauthorised = onUnauthorised((err: ApiError) => {
    if (err.issues?.[0]?.path === "session" && store.getState().phase === "live") restart?.("Your session has ended; log in again.");
  });
  const whoamiTimer = setInterval(() => {
    const s = store.getState();
    if (s.phase !== "live") return;
    call(client, "auth.whoami", {})
      .then((who) => {
        if (!who.user) restart?.("Your session has ended; log in again.");
        else store.getState().setAuth({ user: who.user, setupRequired: false, expiresAt: who.expiresAt });
      })
      .catch(() => {});
  }, WHOAMI_EVERY_MS);

  const offTransport = onTransportState((state) => {
    const s = store.getState();
    if (state.phase === "open") {
      generation += 1;
      void load(generation);
      return;
    }
    generation += 1;
    if (state.phase === "connecting") {
      // Keep showing "disconnected" (with its reason) while a retry is in flight.
      if (s.phase !== "disconnected") s.setPhase("connecting");
    } else {
      s.setPhase("disconnected", state.reason, state.retryAt);
    }
  });

  // A tag added to the trend gets the history the host kept, so the line does not start at "now".
  const offTrend = store.subscribe((s, prev) => {
    if (s.trendTagIds === prev.trendTagIds || s.phase !== "live") return;
    const added = s.trendTagIds.filter((id) => !prev.trendTagIds.includes(id));
    if (added.length > 0) {
      loadHistory(client, added).catch((err: unknown) => console.warn("twinbench: trend history failed:", err));
    }
  });

  return () => {
    restart = null;
    offUnauthorised();
    clearInterval(whoamiTimer);
    offValues();
    offEstimate();
    offStatus();
    offTransport();
    offTrend();
  };
}
