/** A new local account: username, display name, role and initial password (typed twice). */
import { useState } from "react";
import { Role } from "../../../src-main/common/api/governance";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";
import { ProblemNote } from "../../components/ProblemNote";
import { problemOf, type Problem } from "../../components/refusal";
import { checkNewUser, EMPTY_NEW_USER, type NewUserForm } from "./forms";

export function CreateUserForm({ onCreated, onCancel }: { onCreated(): void; onCancel(): void }) {
  const [form, setForm] = useState<NewUserForm>(EMPTY_NEW_USER);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const checked = checkNewUser(form);
  const set = (patch: Partial<NewUserForm>) => setForm((f) => ({ ...f, ...patch }));
  const touched = form.username !== "" || form.password !== "";

  return (
    <form
      className="gov-form"
      data-testid="create-user-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!("params" in checked)) return;
        setBusy(true);
        setProblem(null);
        call(connectApi(), "users.create", checked.params)
          .then(() => {
            setForm(EMPTY_NEW_USER);
            onCreated();
          })
          .catch((err: unknown) => setProblem(problemOf(err)))
          .finally(() => setBusy(false));
      }}
    >
      <label>
        Username
        <input data-testid="new-user-username" value={form.username} onChange={(e) => set({ username: e.target.value })} autoComplete="off" />
      </label>
      <label>
        Display name
        <input data-testid="new-user-display" value={form.displayName} onChange={(e) => set({ displayName: e.target.value })} />
      </label>
      <label>
        Role
        <select data-testid="new-user-role" value={form.role} onChange={(e) => set({ role: Role.parse(e.target.value) })}>
          {Role.options.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <label>
        Initial password
        <input data-testid="new-user-password" type="password" autoComplete="new-password" value={form.password} onChange={(e) => set({ password: e.target.value })} />
      </label>
      <label>
        Again
        <input data-testid="new-user-confirm" type="password" autoComplete="new-password" value={form.confirm} onChange={(e) => set({ confirm: e.target.value })} />
      </label>
      <button type="submit" className="gov-button primary" data-testid="new-user-submit" disabled={busy || !("params" in checked)}>
        {busy ? "Creating…" : "Create"}
      </button>
      <button type="button" className="ghost" onClick={onCancel}>
        Cancel
      </button>
      {touched && "error" in checked ? <span className="gov-invalid">{checked.error}</span> : null}
      <ProblemNote problem={problem} />
    </form>
  );
}
