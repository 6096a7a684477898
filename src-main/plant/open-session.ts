/**
 * One attempt to open a session: discover the endpoints, pick the one matching the connection's security,
 * check the server certificate against the user's decisions, connect with the client's own certificate,
 * and activate the session with the configured identity. Throws BlockedError / UntrustedCertificateError
 * for what retrying cannot fix; anything else is worth another attempt.
 */
import { MessageSecurityMode, OPCUAClient, SecurityPolicy, UserTokenType, type ClientSession } from "node-opcua";
import type { CertificateStore } from "./certificates";
import { BlockedError, UntrustedCertificateError, classifyConnectError, identityLabel, userIdentityOf } from "./connect-errors";
import { chooseEndpoint, discoverEndpoints, type EndpointInfo } from "./endpoints";
import { SECURITY_POLICIES, type CertificateInfo, type ConnectionConfig, type SecurityPolicyName } from "./types";

export interface ReconnectTiming {
  /** First delay and cap of node-opcua's backoff between reconnection attempts, ms. */
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RECONNECT: ReconnectTiming = { initialDelayMs: 250, maxDelayMs: 5_000 };

export interface OpenedSession {
  client: OPCUAClient;
  session: ClientSession;
  endpoint: EndpointInfo;
  certificate?: CertificateInfo;
}

export interface OpenSessionOptions {
  config: ConnectionConfig;
  certificates: CertificateStore;
  reconnect: ReconnectTiming;
  /** Keeps an idle session alive with periodic reads (a subscription keeps it alive by itself). */
  keepSessionAlive: boolean;
  /** Called with the client before it connects, to attach event handlers. */
  attach(client: OPCUAClient): void;
  /** Told about the server certificate as soon as it is known (shown even when the attempt fails later). */
  certificateSeen(certificate: CertificateInfo | undefined): void;
}

export async function openSession(o: OpenSessionOptions): Promise<OpenedSession> {
  const { config, certificates } = o;
  const identity = userIdentityOf(config.identity, config.id);
  const label = identityLabel(config.identity);
  if (!isSecurityPolicy(config.securityPolicy)) {
    throw new BlockedError(`security policy "${config.securityPolicy}" is not supported; use one of ${SECURITY_POLICIES.join(", ")}`);
  }
  const policy = config.securityPolicy;
  const endpoints = await discoverEndpoints(config.endpoint, certificates);
  const choice = chooseEndpoint(endpoints, config.securityMode, policy, identity.type === UserTokenType.UserName ? "username" : "anonymous");
  if (!choice.ok) throw new BlockedError(choice.reason);
  const endpoint = choice.endpoint;
  o.certificateSeen(endpoint.certificate);

  const der = endpoint.serverCertificate;
  if (config.securityMode !== "None") {
    if (!der || !endpoint.certificate) throw new BlockedError(`the server sent no usable certificate for its ${config.securityMode}/${config.securityPolicy} endpoint`);
    const verdict = await certificates.verdict(der);
    if (verdict.kind === "untrusted") throw new UntrustedCertificateError(der, endpoint.certificate);
    if (verdict.kind === "rejected") {
      throw new BlockedError(`the server certificate "${endpoint.certificate.subject}" (thumbprint ${endpoint.certificate.thumbprint}) is rejected: trust it to connect`, endpoint.certificate);
    }
    if (verdict.kind !== "trusted") throw new BlockedError(verdict.message, endpoint.certificate);
  }

  const client = OPCUAClient.create({
    applicationName: "Twinbench",
    applicationUri: certificates.applicationUri,
    clientCertificateManager: certificates.manager,
    certificateFile: certificates.certificateFile,
    privateKeyFile: certificates.privateKeyFile,
    securityMode: MessageSecurityMode[config.securityMode],
    securityPolicy: config.securityMode === "None" || policy === "None" ? SecurityPolicy.None : SecurityPolicy[policy],
    // Already discovered and checked above: node-opcua need not fetch it again.
    ...(config.securityMode !== "None" && der ? { serverCertificate: der } : {}),
    endpointMustExist: false,
    keepSessionAlive: o.keepSessionAlive,
    requestedSessionTimeout: 60_000,
    // maxRetry > 0 turns on node-opcua's automatic reconnection (then retried without limit); the first
    // connect gives up after one retry and the connection's own loop decides what next.
    connectionStrategy: { maxRetry: 1, initialDelay: o.reconnect.initialDelayMs, maxDelay: o.reconnect.maxDelayMs, randomisationFactor: 0.2 },
  });
  o.attach(client);
  try {
    // The configured URL, not the advertised one: servers often advertise a host name this machine cannot resolve.
    await client.connect(config.endpoint);
    const session = await client.createSession(identity);
    return { client, session, endpoint, ...(endpoint.certificate ? { certificate: endpoint.certificate } : {}) };
  } catch (err) {
    await client.disconnect().catch(() => {});
    throw classifyConnectError(err, { endpoint: config.endpoint, identity: label });
  }
}

function isSecurityPolicy(p: string): p is SecurityPolicyName {
  return (SECURITY_POLICIES as readonly string[]).includes(p);
}

export { BlockedError, UntrustedCertificateError };
