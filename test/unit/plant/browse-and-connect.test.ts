// The browser against a fake session (continuation points, a node referenced twice, a vendor DataType),
// the choice of endpoint, and the sorting of connection failures into "retry" and "blocked".
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AttributeIds, BrowseResult, DataType, DataValue, LocalizedText, NodeClass, QualifiedName, ReferenceDescription, StatusCodes, coerceExpandedNodeId, coerceNodeId, type BrowseDescriptionOptions } from "node-opcua";
import { AddressSpaceBrowser, accessFlags } from "../../../src-main/plant/address-space-browser";
import { BlockedError, classifyConnectError, userIdentityOf } from "../../../src-main/plant/connect-errors";
import { DataTypeResolver } from "../../../src-main/plant/data-types";
import { chooseEndpoint, type EndpointInfo } from "../../../src-main/plant/endpoints";
import type { BrowseSession } from "../../../src-main/plant/session-like";

const ref = (id: string, name: string, nodeClass = NodeClass.Variable) =>
  new ReferenceDescription({ nodeId: coerceExpandedNodeId(id), browseName: new QualifiedName({ namespaceIndex: 1, name }), displayName: new LocalizedText({ text: name }), nodeClass, isForward: true });

/** Folder F holds A and B (B twice, by two references), delivered in two pages; vendor type ns=2;i=7 derives from Double. */
function fakeSession(): BrowseSession & { reads: number } {
  const fake = {
    reads: 0,
    async browse(nodes: BrowseDescriptionOptions[]) {
      return nodes.map((n) => {
        const id = coerceNodeId(n.nodeId!).toString();
        if (id === "ns=1;s=F") return new BrowseResult({ statusCode: StatusCodes.Good, references: [ref("ns=1;s=A", "A")], continuationPoint: Buffer.from("page2") });
        if (id === "ns=2;i=7") return new BrowseResult({ statusCode: StatusCodes.Good, references: [new ReferenceDescription({ nodeId: coerceExpandedNodeId("i=11") })] });
        return new BrowseResult({ statusCode: StatusCodes.Good, references: [] });
      });
    },
    async browseNext() {
      return [new BrowseResult({ statusCode: StatusCodes.Good, references: [ref("ns=1;s=B", "B"), ref("ns=1;s=B", "B")] })];
    },
    async read(nodes: { nodeId?: unknown; attributeId?: number }[]) {
      fake.reads++;
      return nodes.map((n) => {
        if (n.attributeId === AttributeIds.DataType) return new DataValue({ value: { dataType: DataType.NodeId, value: coerceNodeId(String(n.nodeId) === "ns=1;s=A" ? "i=11" : "ns=2;i=7") } });
        if (n.attributeId === AttributeIds.BrowseName) return new DataValue({ value: { dataType: DataType.QualifiedName, value: new QualifiedName({ namespaceIndex: 2, name: "Pressure" }) } });
        if (n.attributeId === AttributeIds.ValueRank) return new DataValue({ value: { dataType: DataType.Int32, value: -1 } });
        return new DataValue({ value: { dataType: DataType.Byte, value: 1 } });
      });
    },
  };
  return fake;
}

describe("AddressSpaceBrowser (fake session)", () => {
  it("follows continuation points, lists a node once, and names vendor DataTypes by their browse name", async () => {
    const session = fakeSession();
    const nodes = await new AddressSpaceBrowser(() => session).children("ns=1;s=F");
    assert.deepEqual(nodes.map((n) => [n.nodeId, n.dataType, n.accessLevel, n.hasChildren]), [
      ["ns=1;s=A", "Double", ["CurrentRead"], false],
      ["ns=1;s=B", "Pressure", ["CurrentRead"], false],
    ]);
  });

  it("resolves a vendor DataType to the built-in type on the wire by walking HasSubtype", async () => {
    const resolver = new DataTypeResolver(() => fakeSession());
    assert.equal(await resolver.builtinOf(coerceNodeId("ns=2;i=7")), DataType.Double);
    assert.equal(await resolver.builtinOf(coerceNodeId("i=29")), DataType.Int32, "enumerations are Int32");
    assert.equal(await resolver.builtinOf(coerceNodeId("i=294")), DataType.Null, "not derivable from what the fake answers");
  });

  it("fails clearly when not connected; decodes access levels", async () => {
    await assert.rejects(new AddressSpaceBrowser(() => undefined).children(), /not connected/);
    assert.deepEqual(accessFlags(0x07), ["CurrentRead", "CurrentWrite", "HistoryRead"]);
  });
});

describe("chooseEndpoint", () => {
  const endpoint = (securityMode: EndpointInfo["securityMode"], securityPolicy: string, tokens: EndpointInfo["userIdentityTokens"] = ["anonymous", "username"]): EndpointInfo => ({
    endpointUrl: "opc.tcp://plc:4840",
    securityMode,
    securityPolicy,
    securityLevel: 1,
    userIdentityTokens: tokens,
    server: { applicationUri: "urn:plc", applicationName: "PLC" },
  });
  const offered = [endpoint("None", "None", ["anonymous"]), endpoint("SignAndEncrypt", "Basic256Sha256", ["username"])];

  it("picks the exact mode and policy, or lists what the server offers", () => {
    const ok = chooseEndpoint(offered, "SignAndEncrypt", "Basic256Sha256", "username");
    assert.ok(ok.ok && ok.endpoint.securityPolicy === "Basic256Sha256");
    const missing = chooseEndpoint(offered, "Sign", "Aes256_Sha256_RsaPss", "anonymous");
    assert.deepEqual(missing, { ok: false, reason: "the server offers no endpoint with Sign/Aes256_Sha256_RsaPss; it offers None/None, SignAndEncrypt/Basic256Sha256" });
    const identity = chooseEndpoint(offered, "SignAndEncrypt", "Basic256Sha256", "anonymous");
    assert.deepEqual(identity, { ok: false, reason: "the server's SignAndEncrypt/Basic256Sha256 endpoint does not accept anonymous identity (it accepts username)" });
    assert.match((chooseEndpoint(offered, "Sign", "None", "anonymous") as { reason: string }).reason, /needs a security policy/);
  });
});

describe("connection failures", () => {
  const what = { endpoint: "opc.tcp://plc:4840", identity: 'user "op"' };
  it("blocks on what only the user can fix, retries the rest", () => {
    const refused = classifyConnectError(new Error("ServiceFault: BadUserAccessDenied (0x801f0000)"), what);
    assert.ok(refused instanceof BlockedError);
    assert.equal(refused.message, 'the server refused the identity user "op" (BadUserAccessDenied): check the user name and password');
    assert.ok(classifyConnectError(new Error("BadSecurityPolicyRejected"), what) instanceof BlockedError);
    assert.match(classifyConnectError(new Error("OpenSecureChannel: BadSecurityChecksFailed (0x80130000)"), what).message, /may need to trust this client's certificate, then retry$/);
    const network = classifyConnectError(new Error("connect ECONNREFUSED 127.0.0.1:4840"), what);
    assert.ok(!(network instanceof BlockedError));
  });

  it("reads a password from the environment, and blocks when the variable is missing", () => {
    process.env.TWINBENCH_UNIT_PW = "pw";
    assert.deepEqual(userIdentityOf({ type: "username", user: "op", passwordEnv: "TWINBENCH_UNIT_PW" }, "plc1"), { type: 1, userName: "op", password: "pw" });
    assert.throws(() => userIdentityOf({ type: "username", user: "op", passwordEnv: "TWINBENCH_UNIT_NOPE" }, "plc1"), /TWINBENCH_UNIT_NOPE \(the password of user "op" for connection plc1\) is not set/);
    assert.deepEqual(userIdentityOf(undefined, "plc1"), { type: 0 });
  });
});
