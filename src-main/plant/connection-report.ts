/**
 * The plant link as the connections panel shows it: each connection with its security, identity, server
 * certificate (and where that certificate stands with the user) and statistics; and the certificates that
 * hold a connection up, grouped by certificate, each saying why and what to do.
 */
import type { BlockedBecause, BlockingCertificate, CertificateView, ConnectionInfo, DiscoveredEndpoint } from "../common/api/connections";
import type { EndpointInfo } from "./endpoints";
import type { PlantConnection } from "./plant-connection";
import type { PlantLink } from "./plant-link";
import type { CertificateInfo } from "./types";

export async function certificateView(link: PlantLink, certificate: CertificateInfo): Promise<CertificateView> {
  return { ...certificate, trust: await link.certificateTrust(certificate) };
}

export async function connectionInfo(link: PlantLink, connection: PlantConnection): Promise<ConnectionInfo> {
  const s = connection.status;
  let certificate: CertificateView | undefined;
  if (s.certificate) {
    certificate = await certificateView(link, s.certificate);
    // Trusted through a trusted issuer rather than filed itself: the secured session proves it.
    if (certificate.trust === "undecided" && s.securityMode !== "None" && (s.state === "connected" || s.state === "stalled")) certificate.trust = "trusted";
  }
  return {
    id: s.id,
    endpoint: s.endpoint,
    state: s.state,
    since: s.since,
    ...(s.message !== undefined ? { message: s.message } : {}),
    ...(s.lastError ? { lastError: s.lastError } : {}),
    securityMode: s.securityMode,
    securityPolicy: s.securityPolicy,
    identity: connection.identity,
    ...(certificate ? { certificate } : {}),
    tagCount: s.tagCount,
    staleTags: s.staleTags,
    statistics: { ...s.statistics },
  };
}

export function connectionInfos(link: PlantLink): Promise<ConnectionInfo[]> {
  return Promise.all(link.connections.map((c) => connectionInfo(link, c)));
}

const ADVICE: Record<BlockedBecause, (c: CertificateInfo) => string> = {
  untrusted: () => "not trusted yet: trust it if its thumbprint is the server's (ask who runs the server), or reject it",
  rejected: () => "rejected: connections to this server stay blocked until it is trusted",
  expired: (c) => `expired on ${c.validTo}: renew the certificate on the server (trusting it would not help)`,
  "not-yet-valid": (c) => `valid only from ${c.validFrom}: check the clocks of the server and of this computer`,
};

/** Certificates holding a connection up: waiting for a decision, rejected, expired or not yet valid. */
export async function blockingCertificates(link: PlantLink): Promise<BlockingCertificate[]> {
  const byThumbprint = new Map<string, BlockingCertificate>();
  const add = (view: CertificateView, because: BlockedBecause, connection?: { id: string; endpoint: string }) => {
    let entry = byThumbprint.get(view.thumbprint);
    if (!entry) {
      entry = { certificate: view, blockedBecause: because, message: ADVICE[because](view), connections: [] };
      byThumbprint.set(view.thumbprint, entry);
    }
    if (connection && !entry.connections.some((c) => c.id === connection.id)) entry.connections.push(connection);
  };
  for (const c of link.connections) {
    const s = c.status;
    // Security None does not use the server certificate: it cannot hold the connection up.
    if (!s.certificate || s.securityMode === "None") continue;
    const view = await certificateView(link, s.certificate);
    const because = blockedBecause(view, s.state);
    if (because) add(view, because, { id: s.id, endpoint: s.endpoint });
  }
  for (const p of await link.pendingCertificates()) {
    if (!byThumbprint.has(p.certificate.thumbprint)) add(await certificateView(link, p.certificate), "untrusted");
  }
  return [...byThumbprint.values()];
}

function blockedBecause(view: CertificateView, state: ConnectionInfo["state"]): BlockedBecause | undefined {
  if (state === "certificate-untrusted" || view.trust === "pending") return "untrusted";
  if (state !== "blocked") return undefined;
  if (view.trust === "rejected" || view.trust === "expired" || view.trust === "not-yet-valid") return view.trust;
  return undefined;
}

export async function discoveredEndpoint(link: PlantLink, e: EndpointInfo): Promise<DiscoveredEndpoint> {
  return {
    endpointUrl: e.endpointUrl,
    securityMode: e.securityMode,
    securityPolicy: e.securityPolicy,
    securityLevel: e.securityLevel,
    userIdentityTokens: e.userIdentityTokens,
    server: e.server,
    ...(e.certificate ? { certificate: await certificateView(link, e.certificate) } : {}),
  };
}
