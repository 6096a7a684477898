/**
 * The connections panel: certificates waiting for a decision first, then every OPC UA connection of the
 * scene with its state, security, certificate trust and statistics (polled every 2 s, and at once on state
 * changes), retry for operators, the certificate dialog, and endpoint discovery for engineers.
 */
import { useState } from "react";
import type { BlockingCertificate, CertificateView, ConnectionInfo } from "../../../src-main/common/api/connections";
import { roleAtLeast } from "../../stores/auth";
import { useWorkbench } from "../../stores/workbench";
import { CertificateDialog, type CertificateSubject } from "./CertificateDialog";
import { ConnectionsTable } from "./ConnectionsTable";
import { DiscoverEndpoints } from "./DiscoverEndpoints";
import { PendingCertificates } from "./PendingCertificates";
import { useConnections } from "./useConnections";

export default function ConnectionsPanel() {
  const role = useWorkbench((s) => s.user?.role);
  const feed = useConnections();
  const [review, setReview] = useState<CertificateSubject | null>(null);
  const [discovering, setDiscovering] = useState(false);
  const connections = feed.connections ?? [];

  const fromPending = (b: BlockingCertificate): CertificateSubject => ({ certificate: b.certificate, connections: b.connections, blockedBecause: b.blockedBecause, message: b.message });
  const fromConnection = (certificate: CertificateView, c: ConnectionInfo): CertificateSubject => {
    const blocking = feed.blocking.find((b) => b.certificate.thumbprint === certificate.thumbprint);
    if (blocking) return fromPending(blocking);
    const presenting = connections.filter((x) => x.certificate?.thumbprint === certificate.thumbprint).map((x) => ({ id: x.id, endpoint: x.endpoint }));
    return { certificate, connections: presenting.length > 0 ? presenting : [{ id: c.id, endpoint: c.endpoint }] };
  };

  return (
    <section className="conn-panel" data-testid="connections-panel">
      <header className="conn-bar">
        <h3>
          Connections <span className="conn-count">{feed.connections?.length ?? "…"}</span>
        </h3>
        {feed.blocking.length > 0 ? <span className="conn-alert">{feed.blocking.length} certificate{feed.blocking.length === 1 ? "" : "s"} to decide</span> : null}
        {feed.error ? <span className="conn-error">{feed.error}</span> : null}
        <span className="conn-spacer" />
        {roleAtLeast(role, "engineer") ? (
          <button type="button" className="ghost" data-testid="discover-toggle" aria-pressed={discovering} onClick={() => setDiscovering((d) => !d)}>
            {discovering ? "Hide discovery" : "Discover endpoints…"}
          </button>
        ) : null}
      </header>
      <div className="conn-scroll">
        <PendingCertificates blocking={feed.blocking} onReview={(b) => setReview(fromPending(b))} />
        {feed.connections === null && !feed.error ? <p className="conn-empty">Loading…</p> : null}
        <ConnectionsTable connections={connections} canRetry={roleAtLeast(role, "operator")} onCertificate={(cert, c) => setReview(fromConnection(cert, c))} onChanged={feed.refresh} />
        {discovering ? <DiscoverEndpoints initialUrl={connections[0]?.endpoint ?? "opc.tcp://"} /> : null}
      </div>
      {review ? (
        <CertificateDialog
          {...review}
          canTrust={roleAtLeast(role, "admin")}
          canReject={roleAtLeast(role, "engineer")}
          onClose={() => setReview(null)}
          onDecided={feed.refresh}
        />
      ) : null}
    </section>
  );
}
