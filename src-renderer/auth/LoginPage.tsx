/**
 * The page shown until someone logs in: on a first run (no user yet) it asks for the administrator's account
 * (there is no default password); afterwards it asks for a username and password. Every refusal is shown as
 * the host worded it (wrong password, throttled, disabled account, password rule).
 */
import { useState, type FormEvent } from "react";
import { logIn, setUpAdmin } from "../api/session";
import { useWorkbench } from "../stores/workbench";

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function LoginPage() {
  const setupRequired = useWorkbench((s) => s.setupRequired);
  const notice = useWorkbench((s) => s.authNotice);
  const [username, setUsername] = useState(setupRequired ? "admin" : "");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError("");
    if (setupRequired && password !== confirm) {
      setError("The two passwords differ.");
      return;
    }
    setBusy(true);
    try {
      if (setupRequired) await setUpAdmin(username.trim(), password, displayName.trim() || undefined);
      else await logIn(username.trim(), password);
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <form className="login-card panel" onSubmit={(e) => void submit(e)} data-testid={setupRequired ? "setup-form" : "login-form"}>
        <h1 className="brand">TWINBENCH</h1>
        {setupRequired ? (
          <p className="login-intro">
            First run: create the administrator&apos;s account. It manages users and roles; there is no default password.
          </p>
        ) : (
          <p className="login-intro">Log in to the workbench.</p>
        )}
        {notice ? <p className="login-notice">{notice}</p> : null}
        <label>
          Username
          <input data-testid="login-username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus />
        </label>
        {setupRequired ? (
          <label>
            Display name <small>(optional)</small>
            <input data-testid="login-display-name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
          </label>
        ) : null}
        <label>
          Password
          <input
            data-testid="login-password"
            type="password"
            autoComplete={setupRequired ? "new-password" : "current-password"}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {setupRequired ? (
          <label>
            Password again
            <input data-testid="login-confirm" type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} required />
          </label>
        ) : null}
        {error ? (
          <p className="login-error" role="alert" data-testid="login-error">
            {error}
          </p>
        ) : null}
        <button type="submit" data-testid="login-submit" disabled={busy}>
          {busy ? "…" : setupRequired ? "Create administrator and log in" : "Log in"}
        </button>
      </form>
    </div>
  );
}
