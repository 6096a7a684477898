// `twinbench users list|reset-password`: account recovery from the data folder, audited, over a real
// governance.db made by the runtime's governance module.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { openGovernance, verifyAuditChain, type Governance } from "../../../src-main/governance";
import { demoScene } from "../../support/demo-stack";
import { runCli } from "../../support/cli-process";
import { TEST_PASSWORD, TEST_PASSWORD_COST } from "../../support/sessions";
import { tempFolder } from "../../support/temp";

describe("twinbench users", () => {
  let temp: ReturnType<typeof tempFolder>;
  const open = (): Governance =>
    openGovernance({
      dataFolder: join(temp.path, "governance"),
      scene: demoScene(),
      sceneFile: "scenes/demo-cell.scene.yaml",
      writer: { write: () => Promise.reject(new Error("no PLC in this test")) },
      conditions: { connectionState: () => ({ health: "down", detail: "test" }), staleInputs: () => [], anomalyOnRelated: () => [], currentValue: () => null },
      passwordCost: TEST_PASSWORD_COST,
    });
  before(async () => {
    temp = tempFolder("cli-users");
    const gov = open();
    await gov.auth.setupAdmin({ username: "admin", password: TEST_PASSWORD });
    gov.close();
  });
  after(() => temp.remove());

  it("lists the accounts", () => {
    const r = runCli(["users", "list", "--data", temp.path]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^admin\tadmin\t/m);
  });

  it("resets a forgotten password from standard input, and the reset is audited", async () => {
    const r = runCli(["users", "reset-password", "--data", temp.path, "--username", "admin"], { input: "a brand new passphrase\n" });
    assert.equal(r.code, 0, r.stderr);
    const gov = open();
    try {
      await assert.rejects(gov.auth.login("admin", TEST_PASSWORD));
      const grant = await gov.auth.login("admin", "a brand new passphrase");
      assert.equal(grant.user.username, "admin");
      const [entry] = gov.audit.list({ action: "user.password-reset", limit: 5 });
      assert.equal(entry?.actor, "system:setup");
      assert.equal(verifyAuditChain(gov.dbFile).ok, true);
    } finally {
      gov.close();
    }
  });

  it("refuses a password that breaks the rule, an unknown user and a missing data folder, saying which", () => {
    const short = runCli(["users", "reset-password", "--data", temp.path, "--username", "admin"], { input: "short\n" });
    assert.equal(short.code, 1);
    assert.match(short.stderr, /password rule: at least \d+ characters/);
    const unknown = runCli(["users", "reset-password", "--data", temp.path, "--username", "nobody"], { input: "a brand new passphrase\n" });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no user "nobody"; users: admin/);
    const none = runCli(["users", "list", "--data", join(temp.path, "elsewhere")]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /governance\.db does not exist/);
  });
});
