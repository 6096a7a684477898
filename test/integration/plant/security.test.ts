// Endpoints, security policies, identities and server-certificate trust, over real sockets with node-opcua.
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { tempFolder } from "../../support/temp";
import { NODES, startTestServer, type TestServer } from "./fixtures/test-server";
import { recordLink, waitFor, type Recorded } from "./fixtures/link-harness";
import type { ConnectionConfig } from "../../../src-main/plant/types";

const USERS = [{ user: "operator", password: "s3cret!" }];

describe("plant security: endpoints, policies, identities, certificate trust", () => {
  const temp = tempFolder("plant-security");
  let server: TestServer;
  const links: Recorded[] = [];
  const serverThumbprint = () => {
    const pem = readFileSync(join(temp.path, "server-pki", "own/certs/certificate.pem"), "utf8");
    return new X509Certificate(pem).fingerprint.replace(/:/g, "");
  };
  const link = (pki: string, config: Partial<ConnectionConfig>): Recorded => {
    const r = recordLink({
      pkiFolder: join(temp.path, pki),
      connections: [{ id: "plc", endpoint: server.endpoint, securityMode: "None", securityPolicy: "None", ...config }],
      tags: [{ index: 0, connection: "plc", nodeId: NODES.double, samplingMs: 20 }],
    });
    links.push(r);
    void r.link.open().catch(() => {});
    return r;
  };

  before(async () => {
    server = await startTestServer({ port: 0, pkiFolder: join(temp.path, "server-pki"), users: USERS, counterPeriodMs: 0 });
  });
  after(async () => {
    await Promise.all(links.map((l) => l.close()));
    await server?.stop();
    temp.remove();
  });

  it("discovers the endpoints: every mode and policy, with the identities each accepts", async () => {
    const r = link("pki-discover", {});
    const endpoints = await r.link.discoverEndpoints(server.endpoint);
    const offered = new Set(endpoints.map((e) => `${e.securityMode}/${e.securityPolicy}`));
    for (const p of ["Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss"]) {
      assert.ok(offered.has(`Sign/${p}`) && offered.has(`SignAndEncrypt/${p}`), `missing ${p}: ${[...offered].join(", ")}`);
    }
    assert.ok(offered.has("None/None"));
    const secure = endpoints.find((e) => e.securityMode === "SignAndEncrypt")!;
    assert.ok(secure.userIdentityTokens.includes("username") && secure.userIdentityTokens.includes("anonymous"), secure.userIdentityTokens.join());
    assert.equal(secure.certificate?.thumbprint, serverThumbprint());
  });

  it("creates the application instance certificate on first run and keeps it", async () => {
    const r = link("pki-first-run", {});
    await r.waitForState("plc", "connected");
    const file = join(temp.path, "pki-first-run", "own/certs/client_certificate.pem");
    assert.ok(existsSync(file));
    const cert = new X509Certificate(readFileSync(file));
    assert.match(cert.subjectAltName ?? "", /URI:urn:.+:Twinbench/);
    const before = cert.fingerprint;
    await r.close();
    const again = link("pki-first-run", {});
    await again.waitForState("plc", "connected");
    assert.equal(new X509Certificate(readFileSync(file)).fingerprint, before, "the certificate is made once, not on every start");
  });

  it("stops on an untrusted server certificate, shows it, then connects once it is trusted", async () => {
    const r = link("pki-trust", { securityMode: "SignAndEncrypt", securityPolicy: "Basic256Sha256" });
    const waiting = await r.waitForState("plc", "certificate-untrusted");
    assert.equal(waiting.certificate?.thumbprint, serverThumbprint());
    assert.match(waiting.certificate!.subject, /Twinbench test server|CN=/);
    assert.ok(Date.parse(waiting.certificate!.validFrom) < Date.now() && Date.parse(waiting.certificate!.validTo) > Date.now());
    assert.match(waiting.message ?? "", /not trusted yet/);
    // Pending, not filed: neither trusted nor rejected until the user decides.
    const pki = join(temp.path, "pki-trust");
    assert.deepEqual(readdirSync(join(pki, "rejected")).filter((f) => f.endsWith(".pem")), []);
    const pending = await r.link.pendingCertificates();
    assert.deepEqual(pending.map((p) => [p.certificate.thumbprint, p.connections]), [[serverThumbprint(), ["plc"]]]);
    assert.equal(r.samples.length, 0, "no value before the certificate is trusted");

    await r.link.trustServerCertificate(serverThumbprint().toLowerCase().replace(/(..)/g, "$1:").slice(0, -1));
    await r.waitForState("plc", "connected");
    assert.equal(readdirSync(join(pki, "trusted/certs")).length, 1);
    assert.deepEqual(await r.link.pendingCertificates(), []);
  });

  it("a rejected certificate blocks with a clear message until it is trusted", async () => {
    const r = link("pki-reject", { securityMode: "Sign", securityPolicy: "Aes128_Sha256_RsaOaep" });
    await r.waitForState("plc", "certificate-untrusted");
    await r.link.rejectServerCertificate(serverThumbprint());
    const blocked = await r.waitForState("plc", "blocked");
    assert.match(blocked.message ?? "", new RegExp(`rejected.*${serverThumbprint()}|${serverThumbprint()}.*rejected`));
    assert.equal(readdirSync(join(temp.path, "pki-reject", "rejected")).filter((f) => f.endsWith(".pem")).length, 1);
    // A new start remembers the decision: blocked at once, not asking again.
    const again = link("pki-reject", { securityMode: "Sign", securityPolicy: "Aes128_Sha256_RsaOaep" });
    const blockedAgain = await again.waitForState("plc", "blocked");
    assert.match(blockedAgain.message ?? "", /is rejected: trust it to connect/);
    await again.link.trustServerCertificate(serverThumbprint());
    await again.waitForState("plc", "connected");
  });

  it("SignAndEncrypt (Basic256Sha256) with a user name and password carries values", async () => {
    process.env.TWINBENCH_TEST_PLC_PASSWORD = "s3cret!";
    const r = link("pki-user", { securityMode: "SignAndEncrypt", securityPolicy: "Basic256Sha256", identity: { type: "username", user: "operator", passwordEnv: "TWINBENCH_TEST_PLC_PASSWORD" } });
    await r.waitForState("plc", "certificate-untrusted");
    await r.link.trustServerCertificate(serverThumbprint());
    const status = await r.waitForState("plc", "connected");
    assert.equal(status.identity, 'user "operator"');
    assert.equal(status.securityMode, "SignAndEncrypt");
    const description = await r.link.browser("plc").describe(NODES.double);
    assert.equal(description.value, 20);
    await waitForSamples(r);
    assert.equal(r.samples[0]!.value, 20);
  });

  it("a wrong password is refused with a clear message, and the connection stops trying", async () => {
    const r = link("pki-user-wrong", { securityMode: "SignAndEncrypt", securityPolicy: "Aes256_Sha256_RsaPss", identity: { type: "username", user: "operator", password: "guess" } });
    await r.waitForState("plc", "certificate-untrusted");
    await r.link.trustServerCertificate(serverThumbprint());
    const blocked = await r.waitForState("plc", "blocked");
    assert.match(blocked.message ?? "", /refused the identity user "operator" \(Bad\w+\): check the user name and password/);
  });

  it("a missing password variable, an unknown policy and an absent endpoint block with what to change", async () => {
    const noEnv = link("pki-misc", { identity: { type: "username", user: "operator", passwordEnv: "TWINBENCH_TEST_NOT_SET" } });
    assert.match((await noEnv.waitForState("plc", "blocked")).message ?? "", /environment variable TWINBENCH_TEST_NOT_SET .* is not set/);
    const badPolicy = link("pki-misc", { securityMode: "Sign", securityPolicy: "Basic128Rsa15" });
    assert.match((await badPolicy.waitForState("plc", "blocked")).message ?? "", /security policy "Basic128Rsa15" is not supported/);
    const anonymousOnly = link("pki-misc", { securityMode: "None", securityPolicy: "Basic256Sha256" });
    await anonymousOnly.waitForState("plc", "connected"); // None ignores the policy, as OPC UA does
  });

  it("an expired server certificate blocks with a clear message (and cannot be trusted around)", async () => {
    const expired = await startTestServer({ port: 0, pkiFolder: join(temp.path, "server-expired-pki"), expiredCertificate: true, counterPeriodMs: 0 });
    try {
      const r = recordLink({
        pkiFolder: join(temp.path, "pki-expired"),
        connections: [{ id: "plc", endpoint: expired.endpoint, securityMode: "SignAndEncrypt", securityPolicy: "Basic256Sha256" }],
        tags: [],
      });
      links.push(r);
      void r.link.open().catch(() => {});
      const blocked = await r.waitForState("plc", "blocked");
      assert.match(blocked.message ?? "", /the server certificate expired on \d{4}-\d\d-\d\dT.*renew it on the server/);
      assert.ok(Date.parse(blocked.certificate!.validTo) < Date.now());
    } finally {
      await expired.stop();
    }
  });
});

function waitForSamples(r: Recorded): Promise<void> {
  return waitFor(() => r.samples.length > 0, 30_000, () => "a first sample");
}
