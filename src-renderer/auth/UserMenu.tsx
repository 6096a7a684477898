/**
 * Who is logged in, in the title bar, with the inbox count (pending proposals) and open write alarms, which
 * must be seen from anywhere in the workbench, and the way out (log out).
 */
import { useEffect, useState } from "react";
import { call } from "../api/request";
import { logOut } from "../api/session";
import { connectApi } from "../api/transport";
import { useWorkbench } from "../stores/workbench";

function useGovernanceCounts(enabled: boolean): { pending: number; alarms: number } {
  const [counts, setCounts] = useState({ pending: 0, alarms: 0 });
  useEffect(() => {
    if (!enabled) return;
    const client = connectApi();
    let alive = true;
    const refresh = () => {
      Promise.all([call(client, "proposals.list", { states: ["pending"], limit: 1_000 }), call(client, "alarms.list", { open: true })])
        .then(([pending, alarms]) => alive && setCounts({ pending: pending.length, alarms: alarms.length }))
        .catch(() => {});
    };
    refresh();
    const offs = [client.on("proposals.changed", refresh), client.on("alarms.raised", refresh)];
    const timer = setInterval(refresh, 15_000);
    return () => {
      alive = false;
      clearInterval(timer);
      offs.forEach((off) => off());
    };
  }, [enabled]);
  return counts;
}

export function UserMenu() {
  const user = useWorkbench((s) => s.user);
  const live = useWorkbench((s) => s.phase === "live");
  const { pending, alarms } = useGovernanceCounts(live && user !== null);
  if (!user) return null;
  return (
    <div className="user-menu">
      {alarms > 0 ? (
        <span className="badge badge-alarm" data-testid="alarm-badge" title="Open write alarms: see the Approvals tab">
          {alarms} alarm{alarms === 1 ? "" : "s"}
        </span>
      ) : null}
      <span className={`badge${pending > 0 ? " badge-pending" : ""}`} data-testid="inbox-badge" title="Proposals waiting for approval">
        {pending} pending
      </span>
      <span className="user-name" data-testid="user-name" data-role={user.role}>
        {user.displayName || user.username} · {user.role}
      </span>
      <button type="button" className="ghost" data-testid="logout" onClick={() => void logOut()}>
        Log out
      </button>
    </div>
  );
}
