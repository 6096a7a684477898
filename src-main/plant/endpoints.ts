/**
 * Endpoint discovery (GetEndpoints over an unsecured channel, as every OPC UA client does first) and the
 * choice of the endpoint that matches a connection's security settings.
 */
import { MessageSecurityMode, OPCUAClient, UserTokenType, type EndpointDescription } from "node-opcua";
import { describeCertificate, type CertificateStore } from "./certificates";
import { SECURITY_POLICIES, type CertificateInfo, type SecurityModeName, type SecurityPolicyName } from "./types";

export interface EndpointInfo {
  endpointUrl: string;
  securityMode: SecurityModeName;
  /** The policy's short name (the URI's fragment), e.g. Basic256Sha256. */
  securityPolicy: string;
  securityLevel: number;
  userIdentityTokens: ("anonymous" | "username" | "certificate" | "issued")[];
  server: { applicationUri: string; applicationName: string };
  /** DER, possibly a chain. */
  serverCertificate?: Buffer;
  certificate?: CertificateInfo;
}

const TOKEN: Record<number, EndpointInfo["userIdentityTokens"][number]> = {
  [UserTokenType.Anonymous]: "anonymous",
  [UserTokenType.UserName]: "username",
  [UserTokenType.Certificate]: "certificate",
  [UserTokenType.IssuedToken]: "issued",
};

/** Asks the server at `url` for its endpoints. Fails fast (one attempt) with the transport's message. */
export async function discoverEndpoints(url: string, store: CertificateStore, timeoutMs = 10_000): Promise<EndpointInfo[]> {
  const client = OPCUAClient.create({
    applicationName: "Twinbench",
    applicationUri: store.applicationUri,
    clientCertificateManager: store.manager,
    certificateFile: store.certificateFile,
    privateKeyFile: store.privateKeyFile,
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
    transportTimeout: timeoutMs,
  });
  try {
    await client.connect(url);
    const endpoints = await client.getEndpoints();
    return endpoints.map(toEndpointInfo);
  } finally {
    await client.disconnect().catch(() => {});
  }
}

export function toEndpointInfo(e: EndpointDescription): EndpointInfo {
  const policy = (e.securityPolicyUri ?? "").split("#").pop() ?? "";
  const der = e.serverCertificate && e.serverCertificate.length > 0 ? Buffer.from(e.serverCertificate) : undefined;
  let certificate: CertificateInfo | undefined;
  try {
    certificate = der ? describeCertificate(der) : undefined;
  } catch {
    certificate = undefined; // an unparsable certificate is reported when it is verified
  }
  return {
    endpointUrl: e.endpointUrl ?? "",
    securityMode: (MessageSecurityMode[e.securityMode] ?? "Invalid") as SecurityModeName,
    securityPolicy: policy,
    securityLevel: e.securityLevel,
    userIdentityTokens: [...new Set((e.userIdentityTokens ?? []).map((t) => TOKEN[t.tokenType]).filter((t) => t !== undefined))],
    server: { applicationUri: e.server?.applicationUri ?? "", applicationName: e.server?.applicationName?.text ?? "" },
    ...(der ? { serverCertificate: der } : {}),
    ...(certificate ? { certificate } : {}),
  };
}

/** The endpoint with exactly this mode and policy, or the reason there is none (listing what is offered). */
export function chooseEndpoint(
  endpoints: EndpointInfo[],
  mode: SecurityModeName,
  policy: SecurityPolicyName,
  identity: "anonymous" | "username",
): { ok: true; endpoint: EndpointInfo } | { ok: false; reason: string } {
  const offered = endpoints.map((e) => `${e.securityMode}/${e.securityPolicy}`);
  const wantedPolicy = mode === "None" ? "None" : policy;
  if (mode !== "None" && policy === "None") return { ok: false, reason: `security mode ${mode} needs a security policy (one of ${SECURITY_POLICIES.slice(1).join(", ")})` };
  const match = endpoints.find((e) => e.securityMode === mode && e.securityPolicy === wantedPolicy);
  if (!match) return { ok: false, reason: `the server offers no endpoint with ${mode}/${wantedPolicy}; it offers ${[...new Set(offered)].join(", ") || "none"}` };
  if (!match.userIdentityTokens.includes(identity)) {
    return { ok: false, reason: `the server's ${mode}/${wantedPolicy} endpoint does not accept ${identity} identity (it accepts ${match.userIdentityTokens.join(", ") || "none"})` };
  }
  return { ok: true, endpoint: match };
}
