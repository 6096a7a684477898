/**
 * Who is logged in, in the title bar, with the inbox count (pending proposals) and open write alarms, which
 * must be seen from anywhere in the workbench, and the way out (log out).
 */
import { call } from "../api/request";
import { logOut } from "../api/session";
import { connectApi } from "../api/transport";
import { useRefreshingQuery } from "../api/useRefreshingQuery";
import { useWorkbench } from "../stores/workbench";

const EVENTS = ["proposals.changed", "alarms.raised"] as const;

async function loadCounts(): Promise<{ pending: number; alarms: number }> {
  const client = connectApi();
  const [pending, alarms] = await Promise.all([call(client, "proposals.list", { states: ["pending"], limit: 1_000 }), call(client, "alarms.list", { open: true })]);
  return { pending: pending.length, alarms: alarms.length };
}

/** Mounted only while someone is logged in and the workbench is live. */
function Counts() {
  const counts = useRefreshingQuery(loadCounts, 15_000, EVENTS).value;
  const pending = counts?.pending ?? 0;
  const alarms = counts?.alarms ?? 0;
  return (
    <>
      {alarms > 0 ? (
        <span className="badge badge-alarm" data-testid="alarm-badge" title="Open write alarms: see the Approvals tab">
          {alarms} alarm{alarms === 1 ? "" : "s"}
        </span>
      ) : null}
      <span className={`badge${pending > 0 ? " badge-pending" : ""}`} data-testid="inbox-badge" title="Proposals waiting for approval">
        {pending} pending
      </span>
    </>
  );
}

export function UserMenu() {
  const user = useWorkbench((s) => s.user);
  const live = useWorkbench((s) => s.phase === "live");
  if (!user) return null;
  return (
    <div className="user-menu">
      {live ? <Counts /> : null}
      <span className="user-name" data-testid="user-name" data-role={user.role}>
        {user.displayName || user.username} · {user.role}
      </span>
      <button type="button" className="ghost" data-testid="logout" onClick={() => void logOut()}>
        Log out
      </button>
    </div>
  );
}
