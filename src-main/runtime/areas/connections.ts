/**
 * The connections methods of the API, implemented over the runtime's plant link: statuses and statistics,
 * endpoint discovery, certificate decisions (audited), the address-space browser, and binding a scene tag to
 * a node (saved to the scene file, audited; in force after a restart). Errors name the connection, the node
 * or the certificate they are about.
 */
import { ApiError } from "../../common/api/contract";
import type { connectionsRequests, NodeDetails } from "../../common/api/connections";
import type { SceneProblem } from "../../common/scene/parse";
import type { AuthContext } from "../../governance/auth";
import { userActor } from "../../governance/auth";
import { sceneDataTypeOf, type PlantConnection, type PlantConnectionStatus } from "../../plant";
import { canonicalNodeId, type AddressSpaceBrowser } from "../../plant/address-space-browser";
import { normaliseThumbprint } from "../../plant/certificates";
import { blockingCertificates, certificateView, connectionInfo, connectionInfos, discoveredEndpoint } from "../../plant/connection-report";
import { bindTagInSceneFile } from "../../plant/scene-binding-file";
import type { TwinRuntime } from "../twin-runtime";
import type { AreaHandlers } from "./area-handlers";

export function connectionsHandlers(runtime: TwinRuntime): AreaHandlers<typeof connectionsRequests> {
  const link = runtime.link;
  announceChanges(runtime);

  const connectionOf = (id: string): PlantConnection => {
    const c = link.connection(id);
    if (!c) {
      const known = link.connections.map((k) => k.id).join(", ");
      throw new ApiError("invalid_params", `no connection "${id}" in this scene (it has ${known})`, [{ path: "connection", message: `unknown connection; one of ${known}` }]);
    }
    return c;
  };

  /** Runs a browser call on a connected connection, turning its failures into errors that say where. */
  const browse = async <T>(connection: string, what: string, run: (browser: AddressSpaceBrowser) => Promise<T>): Promise<T> => {
    const c = connectionOf(connection);
    const s = c.status;
    if (s.state !== "connected" && s.state !== "stalled") {
      throw new ApiError("failed", `connection ${connection} is ${s.state}${s.message ? ` (${s.message})` : ""}: ${what} needs a connected session`);
    }
    try {
      return await run(link.browser(connection));
    } catch (err) {
      throw new ApiError("failed", `${what} on connection ${connection}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  const nodeIdOf = (text: string, path = "nodeId"): string => {
    const parsed = canonicalNodeId(text);
    if (!parsed.ok) throw new ApiError("invalid_params", `"${text}" is not a NodeId this client can resolve: ${parsed.reason}`, [{ path, message: parsed.reason }]);
    return parsed.nodeId;
  };

  const readNode = async (connection: string, nodeIdText: string): Promise<NodeDetails> => {
    const nodeId = nodeIdOf(nodeIdText);
    const node = await browse(connection, `reading node ${nodeId}`, (b) => b.describe(nodeId));
    const mapped = node.nodeClass === "Variable" ? sceneDataTypeOf(node) : { ok: false as const, reason: `a ${node.nodeClass} node has no value to bind (choose a Variable)` };
    const boundTags = runtime.table.tags.filter((t) => t.connection === connection && canonicalNodeId(t.nodeId).ok && nodeIdOf(t.nodeId) === node.nodeId).map((t) => t.id);
    return { ...node, bindable: mapped.ok ? { dataType: mapped.dataType } : { reason: mapped.reason }, boundTags };
  };

  const decide = async (decision: "trusted" | "rejected", params: { thumbprint: string; reason?: string | undefined }, caller: AuthContext | null) => {
    const method = decision === "trusted" ? "certificates.trust" : "certificates.reject";
    const thumbprint = normaliseThumbprint(params.thumbprint);
    const presenting = () => link.connections.filter((c) => c.status.certificate?.thumbprint === thumbprint);
    const seen = presenting()[0]?.status.certificate ?? (await link.pendingCertificates()).find((p) => p.certificate.thumbprint === thumbprint)?.certificate;
    if (decision === "trusted" && seen && Date.parse(seen.validTo) < Date.now()) {
      throw new ApiError("refused", `${method}: the certificate "${seen.subject}" (thumbprint ${thumbprint}) expired on ${seen.validTo}; trusting it would not let any connection proceed: renew it on the server`);
    }
    let certificate;
    try {
      certificate = decision === "trusted" ? await link.trustServerCertificate(thumbprint) : await link.rejectServerCertificate(thumbprint);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (/^no server certificate with thumbprint/.test(message)) throw new ApiError("invalid_params", `${method}: ${message}`, [{ path: "thumbprint", message }]);
      throw err;
    }
    const connections = presenting();
    // A rejected certificate is not believed a moment longer: secured sessions made with it start afresh (and block).
    if (decision === "rejected") for (const c of connections) if (c.status.securityMode !== "None") c.restart(`its server certificate ${thumbprint} was rejected`);
    runtime.governance.auditTrust({
      actor: userActor(caller!),
      connection: connections.map((c) => c.id).join(", ") || "(none)",
      endpoint: connections.map((c) => c.status.endpoint).join(", ") || "(none)",
      thumbprint: certificate.thumbprint,
      subject: certificate.subject,
      decision,
      ...(params.reason ? { reason: params.reason } : {}),
    });
    return { certificate: await certificateView(link, certificate), connections: connections.map((c) => c.id) };
  };

  return {
    "connections.list": () => connectionInfos(link),
    "connections.retry": ({ connection }) => {
      const c = connectionOf(connection);
      link.retry(connection);
      return connectionInfo(link, c);
    },
    "endpoints.discover": async ({ endpointUrl }) => {
      let endpoints;
      try {
        endpoints = await link.discoverEndpoints(endpointUrl);
      } catch (err) {
        throw new ApiError("failed", `no endpoints from ${endpointUrl}: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
      }
      return Promise.all(endpoints.map((e) => discoveredEndpoint(link, e)));
    },
    "certificates.pending": () => blockingCertificates(link),
    "certificates.trust": (params, caller) => decide("trusted", params, caller),
    "certificates.reject": (params, caller) => decide("rejected", params, caller),
    "browse.children": async ({ connection, nodeId }) => {
      const id = nodeIdOf(nodeId ?? "i=85");
      const children = await browse(connection, `browsing ${id}`, (b) => b.children(id));
      return { nodeId: id, children };
    },
    "browse.search": async ({ connection, name, from, maxDepth, maxResults }) => {
      const start = from === undefined ? undefined : nodeIdOf(from, "from");
      // One more than asked: whether there were more hits than shown.
      const hits = await browse(connection, `searching "${name}"`, (b) => b.search(name, { maxDepth, maxResults: maxResults + 1, ...(start ? { from: start } : {}) }));
      return { hits: hits.slice(0, maxResults), truncated: hits.length > maxResults };
    },
    "node.read": ({ connection, nodeId }) => readNode(connection, nodeId),
    "scene.bindTag": async (p, caller) => {
      connectionOf(p.connection);
      const tagId = `${p.assetId}.${p.key}`;
      const node = await readNode(p.connection, p.nodeId);
      const mapped = node.bindable.dataType;
      if (!mapped) throw new ApiError("invalid_params", `node ${node.nodeId} cannot be bound: ${node.bindable.reason}`, [{ path: "nodeId", message: node.bindable.reason ?? "not bindable" }]);
      if (p.dataType !== undefined && p.dataType !== mapped) {
        throw new ApiError("invalid_params", `node ${node.nodeId} holds ${node.dataType} (scene data type ${mapped}), not ${p.dataType}`, [{ path: "dataType", message: `the node's type maps to ${mapped}` }]);
      }
      const file = runtime.sceneFile;
      const result = await bindTagInSceneFile(
        file,
        { assetId: p.assetId, key: p.key, nodeId: node.nodeId, dataType: mapped, connection: p.connection, ...(p.role ? { role: p.role } : {}), ...(p.unit !== undefined ? { unit: p.unit } : {}), ...(p.range ? { range: p.range } : {}) },
        (current, edit) => {
          const asset = current.assets.find((a) => a.id === p.assetId);
          if (!asset) throw new ApiError("invalid_params", `no asset "${p.assetId}" in ${file}`, [{ path: "assetId", message: "unknown asset" }]);
          if (!current.connections.some((c) => c.id === p.connection)) throw new ApiError("invalid_params", `the scene file ${file} has no connection "${p.connection}"`, [{ path: "connection", message: "not in the scene file" }]);
          const existing = asset.tags[p.key];
          if (existing?.access === "readWrite" && caller?.user.role !== "admin") {
            runtime.governance.auditRefused("scene.bindTag", caller, "admin");
            throw new ApiError("refused", `scene.bindTag refused: ${tagId} is writable; rebinding it moves where approved writes land, which needs an admin`, [{ path: "role", message: "rebinding a writable tag needs admin" }]);
          }
          // Only write the connection when it changes what the tag (or a new tag's default) already has.
          if ((existing?.connection ?? current.connections[0]!.id) !== p.connection) return edit;
          const { connection: _same, ...rest } = edit;
          return rest;
        },
      );
      if (!result.ok) throw new ApiError(result.stage === "read" ? "failed" : "invalid_params", bindFailure(file, result.stage, result.problems), result.problems.map((x) => ({ path: x.path, message: x.message })));
      const why = `bound ${tagId} to ${node.nodeId} on ${p.connection}${p.reason ? `: ${p.reason}` : ""}`;
      runtime.governance.auditSceneChange(userActor(caller!), result.scene, { file, reason: why });
      runtime.emit("scene.tagBound", { tagId, connection: p.connection, nodeId: node.nodeId, file, by: caller!.user.username, restartRequired: true });
      runtime.log(`scene: ${why} (by ${caller!.user.username}; in force after a restart)`);
      return { tagId, created: result.created, file, restartRequired: true };
    },
  };
}

function bindFailure(file: string, stage: "read" | "current" | "edit", problems: SceneProblem[]): string {
  const list = problems.map((p) => `${p.line ? `line ${p.line}: ` : ""}${p.path || "(top level)"}: ${p.message}`).join("; ");
  if (stage === "current") return `the scene file ${file} is not valid as it is now (fix it first): ${list}`;
  if (stage === "read") return list;
  return `the binding was not saved: ${list}`;
}

/** Pushes state changes, and certificates that start waiting for a decision, to logged-in renderers. */
function announceChanges(runtime: TwinRuntime): void {
  const last = new Map<string, PlantConnectionStatus["state"]>();
  runtime.link.onDidChangeStatus((s) => {
    const before = last.get(s.id);
    if (before === s.state) return;
    last.set(s.id, s.state);
    runtime.emit("connections.changed", { id: s.id, state: s.state, ...(s.message !== undefined ? { message: s.message } : {}) });
    if (s.state === "certificate-untrusted" && s.certificate) {
      runtime.emit("certificates.awaitingDecision", { thumbprint: s.certificate.thumbprint, subject: s.certificate.subject, connections: [s.id] });
    }
  });
}
