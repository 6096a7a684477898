/**
 * User management (admins): the local accounts with their roles, creation, role changes, disabling (with a
 * reason) and enabling, password resets. Every change is made and audited by the main process.
 */
import { useCallback, useEffect, useState } from "react";
import type { User } from "../../../src-main/common/api/governance";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";
import { useWorkbench } from "../../stores/workbench";
import { CreateUserForm } from "./CreateUserForm";
import { sortUsers } from "./forms";
import { UserRow } from "./UserRow";

export default function UsersPanel() {
  const me = useWorkbench((s) => s.user);
  const [users, setUsers] = useState<User[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  const load = useCallback(() => {
    call(connectApi(), "users.list", {})
      .then((list) => {
        setUsers(sortUsers(list));
        setError(null);
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  }, []);
  useEffect(load, [load]);

  return (
    <section className="gov-panel users-panel" data-testid="users-panel">
      <header className="gov-bar">
        <h3>
          Users <span className="gov-count">{users?.length ?? "…"}</span>
        </h3>
        {error ? <span className="gov-invalid">{error}</span> : null}
        <span className="gov-spacer" />
        {!creating ? (
          <button type="button" className="gov-button" data-testid="create-user" onClick={() => setCreating(true)}>
            New user
          </button>
        ) : null}
      </header>
      {creating ? (
        <CreateUserForm
          onCancel={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            load();
          }}
        />
      ) : null}
      <div className="gov-scroll">
        <table className="gov-table" data-testid="users-table">
          <thead>
            <tr>
              <th>Username</th>
              <th>Name</th>
              <th>Role</th>
              <th>Status</th>
              <th>Last login</th>
              <th>Created</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(users ?? []).map((u) => (
              <UserRow key={u.id} user={u} me={me} onChanged={load} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
