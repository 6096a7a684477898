// The client PKI on disk (no server): the application certificate made once, certificate facts as UaExpert
// shows them, and verdicts: unknown stays pending (not filed), trust and reject move files, expired blocks.
import assert from "node:assert/strict";
import { createHash, X509Certificate } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { OPCUACertificateManager } from "node-opcua";
import { CertificateStore, describeCertificate, firstCertificate, normaliseThumbprint } from "../../../src-main/plant/certificates";
import { tempFolder } from "../../support/temp";

const temp = tempFolder("plant-certificates");
let store: CertificateStore;
let serverCert: Buffer;
let expiredCert: Buffer;

async function makeCertificate(folder: string, startDate: Date, validityDays: number): Promise<Buffer> {
  const cm = new OPCUACertificateManager({ rootFolder: folder, disableFileWatchers: true });
  await cm.initialize();
  const file = join(folder, "own/certs/server.pem");
  await cm.createSelfSignedCertificate({ applicationUri: "urn:test:server", subject: "/CN=Test PLC/O=Plant", dns: ["localhost"], startDate, validity: validityDays, outputFile: file });
  await cm.dispose();
  return Buffer.from(new X509Certificate(readFileSync(file)).raw);
}

before(async () => {
  store = await CertificateStore.open(join(temp.path, "client"));
  serverCert = await makeCertificate(join(temp.path, "server"), new Date(Date.now() - 3600_000), 365);
  expiredCert = await makeCertificate(join(temp.path, "old"), new Date(Date.now() - 10 * 86400_000), 2);
});
after(async () => {
  await store?.dispose();
  temp.remove();
});

describe("CertificateStore", () => {
  it("creates the application instance certificate on first open, and reuses it", async () => {
    const file = store.certificateFile;
    assert.ok(existsSync(file) && existsSync(store.privateKeyFile));
    assert.match(store.applicationUri, /^urn:.+:Twinbench$/);
    const again = await CertificateStore.open(join(temp.path, "client"));
    assert.equal(again.applicationUri, store.applicationUri);
    assert.equal(readFileSync(again.certificateFile, "utf8"), readFileSync(file, "utf8"));
    await again.dispose();
  });

  it("describes a certificate: SHA-1 thumbprint in upper-case hex, subject, validity, application URI", () => {
    const info = describeCertificate(serverCert);
    assert.equal(info.thumbprint, createHash("sha1").update(serverCert).digest("hex").toUpperCase());
    assert.equal(info.thumbprint, new X509Certificate(serverCert).fingerprint.replace(/:/g, ""));
    assert.match(info.subject, /CN=Test PLC/);
    assert.equal(info.applicationUri, "urn:test:server");
    assert.equal(info.selfSigned, true);
    assert.ok(Date.parse(info.validFrom) < Date.now() && Date.parse(info.validTo) > Date.now());
    assert.equal(normaliseThumbprint("ab:cd ef"), "ABCDEF");
    assert.deepEqual(firstCertificate(Buffer.concat([serverCert, expiredCert])), serverCert, "the leaf of a chain");
  });

  it("an unknown certificate is untrusted and stays pending: nothing is filed until the user decides", async () => {
    assert.deepEqual(await store.verdict(serverCert), { kind: "untrusted" });
    const decision = store.awaitDecision(serverCert);
    assert.deepEqual(store.pendingCertificates().map((c) => c.thumbprint), [describeCertificate(serverCert).thumbprint]);
    assert.deepEqual(readdirSync(join(temp.path, "client", "rejected")).filter((f) => f.endsWith(".pem")), []);
    await store.reject(describeCertificate(serverCert).thumbprint);
    assert.equal(await decision, "rejected");
    assert.deepEqual(await store.verdict(serverCert), { kind: "rejected" });
    await store.trust(describeCertificate(serverCert).thumbprint.toLowerCase());
    assert.deepEqual(await store.verdict(serverCert), { kind: "trusted" });
    assert.equal(readdirSync(join(temp.path, "client", "trusted/certs")).length, 1);
    await assert.rejects(store.trust("00".repeat(20)), /no server certificate with thumbprint 0000/);
  });

  it("an expired certificate is refused whatever the user decided, with a message that says what to do", async () => {
    const verdict = await store.verdict(expiredCert);
    assert.equal(verdict.kind, "expired");
    assert.match(verdict.kind === "expired" ? verdict.message : "", /^the server certificate expired on \d{4}-.*: renew it on the server$/);
  });
});
