/**
 * One account: its role (changed in place), disable with a reason or enable, reset its password. Each action
 * shows the main process's refusal (e.g. the last admin) beside the row.
 */
import { useState } from "react";
import { Role, type User } from "../../../src-main/common/api/governance";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";
import { formatDateTime } from "../Approvals/format";
import { ProblemNote } from "../../components/ProblemNote";
import { problemOf, type Problem } from "../../components/refusal";
import { checkPasswordPair, isSelf } from "./forms";

type Open = "disable" | "reset" | null;

export function UserRow({ user: u, me, onChanged }: { user: User; me: User | null; onChanged(): void }) {
  const [open, setOpen] = useState<Open>(null);
  const [reason, setReason] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const self = isSelf(u, me);

  const run = (action: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    action()
      .then(() => {
        setOpen(null);
        setReason("");
        setPassword("");
        setConfirm("");
        onChanged();
      })
      .catch((err: unknown) => setProblem(problemOf(err)))
      .finally(() => setBusy(false));
  };
  const client = connectApi();
  const pairProblem = checkPasswordPair(password, confirm);

  return (
    <>
      <tr data-testid="user-row" data-user={u.username} data-role={u.role} data-disabled={String(u.disabled)} className={u.disabled ? "disabled" : undefined}>
        <td className="tag-key">
          {u.username}
          {self ? <span className="gov-dim"> (you)</span> : null}
        </td>
        <td>{u.displayName}</td>
        <td>
          <select
            data-testid="user-role"
            value={u.role}
            disabled={busy || self}
            title={self ? "You cannot change your own role" : undefined}
            onChange={(e) => {
              const role = Role.parse(e.target.value);
              run(() => call(client, "users.setRole", { userId: u.id, role }));
            }}
          >
            {Role.options.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </td>
        <td className={u.disabled ? "gov-invalid" : "gov-dim"}>{u.disabled ? "disabled" : "active"}</td>
        <td className="gov-dim">{u.lastLoginAt ? formatDateTime(u.lastLoginAt) : "never"}</td>
        <td className="gov-dim">
          {formatDateTime(u.createdAt)} by {u.createdBy}
        </td>
        <td className="user-actions">
          {u.disabled ? (
            <button type="button" className="ghost" data-testid="user-enable" disabled={busy} onClick={() => run(() => call(client, "users.enable", { userId: u.id }))}>
              Enable
            </button>
          ) : (
            <button type="button" className="ghost" data-testid="user-disable" disabled={busy || self} onClick={() => setOpen(open === "disable" ? null : "disable")}>
              Disable…
            </button>
          )}
          <button type="button" className="ghost" data-testid="user-reset" disabled={busy} onClick={() => setOpen(open === "reset" ? null : "reset")}>
            Reset password…
          </button>
        </td>
      </tr>
      {open !== null || problem ? (
        <tr className="user-expanded">
          <td colSpan={7}>
            {open === "disable" ? (
              <form
                className="gov-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  run(() => call(client, "users.disable", { userId: u.id, reason: reason.trim() }));
                }}
              >
                <label className="grow">
                  Why disable {u.username}?
                  <input data-testid="user-disable-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} />
                </label>
                <button type="submit" className="gov-button danger" data-testid="user-disable-submit" disabled={busy || reason.trim().length < 3}>
                  Disable
                </button>
              </form>
            ) : null}
            {open === "reset" ? (
              <form
                className="gov-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  run(() => call(client, "users.resetPassword", { userId: u.id, password }));
                }}
              >
                <label>
                  New password for {u.username}
                  <input data-testid="user-reset-password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
                </label>
                <label>
                  Again
                  <input data-testid="user-reset-confirm" type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
                </label>
                <button type="submit" className="gov-button" data-testid="user-reset-submit" disabled={busy || pairProblem !== null}>
                  Set password
                </button>
                {password !== "" && pairProblem ? <span className="gov-invalid">{pairProblem}</span> : null}
              </form>
            ) : null}
            <ProblemNote problem={problem} testId="user-problem" />
          </td>
        </tr>
      ) : null}
    </>
  );
}
