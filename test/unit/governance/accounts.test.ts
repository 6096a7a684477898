// Accounts and sessions on a real governance.db: first run, password hashing, logins (audited, throttled),
// inactivity expiry, logout, and the last-admin rule.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { openGovernance, type Governance } from "../../../src-main/governance/index";
import { costOf, DEFAULT_SCRYPT_COST, hashPassword, passwordProblem, verifyPassword } from "../../../src-main/governance/passwords";
import { tempFolder } from "../../support/temp";
import { demoScene, FakeClock, FakePlant, PASSWORD, refused, SpyWriter, TEST_COST } from "./support/fixtures";

describe("passwords", () => {
  it("scrypt with a per-user salt and the parameters stored with the hash", async () => {
    const a = await hashPassword(PASSWORD, TEST_COST);
    const b = await hashPassword(PASSWORD, TEST_COST);
    assert.match(a, /^scrypt\$v=1\$N=4096,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/);
    assert.notEqual(a, b, "different salts");
    assert.equal(await verifyPassword(PASSWORD, a), true);
    assert.equal(await verifyPassword(`${PASSWORD}!`, a), false);
    assert.equal(await verifyPassword(PASSWORD, "plain text"), false);
    assert.deepEqual(costOf(a), TEST_COST);
  });

  it("the production default is OWASP's scrypt minimum, and verifies", async () => {
    assert.deepEqual(DEFAULT_SCRYPT_COST, { N: 131072, r: 8, p: 1 });
    const h = await hashPassword(PASSWORD);
    assert.equal(await verifyPassword(PASSWORD, h), true);
  });

  it("length is the rule, with a minimum", () => {
    assert.match(passwordProblem("short", "alice")!, /password rule: at least 12 characters \(this one has 5\)/);
    assert.match(passwordProblem("alicealice12", "alicealice12")!, /must not be the username/);
    assert.match(passwordProblem("aaaaaaaaaaaaaa", "alice")!, /4 different characters/);
    assert.equal(passwordProblem(PASSWORD, "alice"), null);
  });
});

describe("accounts and sessions", () => {
  const temp = tempFolder("accounts");
  const clock = new FakeClock();
  let gov: Governance;
  before(() => {
    gov = openGovernance({
      dataFolder: temp.path,
      scene: demoScene(),
      sceneFile: "demo",
      writer: new SpyWriter(),
      conditions: new FakePlant(),
      clock: clock.now,
      passwordCost: TEST_COST,
      sessions: { idleTimeoutMs: 30 * 60_000 },
    });
  });
  after(() => {
    gov.close();
    temp.remove();
  });

  it("first run: no users, so only setupAdmin is possible; no default password exists", async () => {
    assert.equal(gov.auth.whoami(null).setupRequired, true);
    assert.equal((await refused(() => gov.auth.login("admin", "admin"))).rule, "login");
    assert.equal((await refused(() => gov.auth.setupAdmin({ username: "root", password: "short" }))).rule, "passwordRule");
    const grant = await gov.auth.setupAdmin({ username: "root", password: PASSWORD });
    assert.equal(grant.user.role, "admin");
    assert.equal(gov.auth.whoami(null).setupRequired, false);
    assert.equal((await refused(() => gov.auth.setupAdmin({ username: "mallory", password: PASSWORD }))).rule, "setup");
  });

  it("stores only the hash", () => {
    const db = new Database(gov.dbFile, { readonly: true });
    const row = db.prepare("SELECT password_hash FROM users WHERE username = 'root'").get() as { password_hash: string };
    db.close();
    assert.match(row.password_hash, /^scrypt\$/);
    assert.ok(!row.password_hash.includes(PASSWORD));
  });

  it("logs in and out; failed logins are audited without telling whether the user exists", async () => {
    const root = gov.auth.resolve((await gov.auth.login("root", PASSWORD)).token, false)!;
    await gov.users.create({ kind: "user", userId: root.user.id, username: "root", role: "admin" }, { username: "olga", password: PASSWORD, role: "operator" });
    const unknown = await refused(() => gov.auth.login("nobody", PASSWORD));
    const wrong = await refused(() => gov.auth.login("olga", "wrong password!"));
    assert.equal(unknown.message.replace("nobody", "X"), wrong.message.replace("olga", "X"));
    const failed = gov.audit.list({ action: "auth.login-failed" }).slice(-2);
    assert.deepEqual(failed.map((e) => [e.target, e.reason]), [["user:nobody", "unknown user"], ["user:olga", "wrong password"]]);
    const grant = await gov.auth.login("Olga", PASSWORD);
    const auth = gov.auth.resolve(grant.token)!;
    assert.equal(auth.user.username, "olga");
    gov.auth.logout(auth);
    assert.equal(gov.auth.resolve(grant.token), null);
    assert.equal(gov.audit.list({ action: "auth.logout" }).length, 1);
  });

  it("throttles repeated failures per user, and audits the lock", async () => {
    for (let i = 0; i < 5; i++) assert.equal((await refused(() => gov.auth.login("olga", "wrong password!"))).rule, "login");
    const locked = await refused(() => gov.auth.login("olga", PASSWORD));
    assert.equal(locked.rule, "loginThrottle");
    assert.match(locked.message, /try again in 30 s/);
    assert.equal(gov.audit.list({ action: "auth.login-locked" }).length, 1);
    clock.advance(31_000);
    assert.ok(await gov.auth.login("olga", PASSWORD), "the lock lapses; success resets the count");
  });

  it("a session ends after inactivity (audited), and requests keep it alive", async () => {
    const { token } = await gov.auth.login("olga", PASSWORD);
    clock.advance(20 * 60_000);
    assert.ok(gov.auth.resolve(token, true), "activity at 20 min");
    clock.advance(20 * 60_000);
    assert.ok(gov.auth.resolve(token, false), "40 min after login, 20 after the last activity");
    clock.advance(11 * 60_000);
    assert.equal(gov.auth.resolve(token, true), null, "passive requests did not keep it alive");
    const expired = gov.audit.list({ action: "auth.session-expired" }).at(-1)!;
    assert.deepEqual([expired.target, expired.reason], ["user:olga", "inactivity"]);
  });

  it("a disabled user's sessions stop working at once; role changes apply at the next request", async () => {
    const root = gov.auth.resolve((await gov.auth.login("root", PASSWORD)).token)!;
    const admin = { kind: "user" as const, userId: root.user.id, username: "root", role: "admin" as const };
    const olga = gov.users.byUsername("olga")!;
    const { token } = await gov.auth.login("olga", PASSWORD);
    gov.users.setRole(admin, olga.id, "engineer");
    assert.equal(gov.auth.resolve(token)!.user.role, "engineer");
    gov.users.disable(admin, olga.id, "left the company");
    assert.equal(gov.auth.resolve(token), null);
    assert.equal((await refused(() => gov.auth.login("olga", PASSWORD))).rule, "login");
    const changes = gov.audit.list({ target: "user:olga", action: "user." }).map((e) => e.action);
    assert.deepEqual(changes, ["user.created", "user.role-changed", "user.disabled"]);
  });

  it("the last enabled admin can be neither demoted nor disabled", async () => {
    const root = gov.users.byUsername("root")!;
    const admin = { kind: "user" as const, userId: root.id, username: "root", role: "admin" as const };
    assert.equal((await refused(() => gov.users.setRole(admin, root.id, "engineer"))).rule, "lastAdmin");
    assert.equal((await refused(() => gov.users.disable(admin, root.id, "oops"))).rule, "lastAdmin");
  });

  it("re-entering the password for a critical approval is checked and audited", async () => {
    const root = gov.auth.resolve((await gov.auth.login("root", PASSWORD)).token)!;
    await gov.auth.reauthenticate(root, PASSWORD, "test");
    assert.equal((await refused(() => gov.auth.reauthenticate(root, "nope nope nope", "approving x"))).rule, "reauthentication");
    assert.equal(gov.audit.list({ action: "auth.reauth-failed" }).at(-1)?.reason, "approving x");
  });
});
