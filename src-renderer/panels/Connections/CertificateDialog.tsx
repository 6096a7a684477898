/**
 * A server certificate in full (subject, issuer, thumbprint, validity) with why it holds a connection up,
 * and the decision: Trust (admins) or Reject (engineers and admins), with an optional reason for the audit
 * trail. Refusals are shown as the host worded them.
 *
 * Test hooks: data-testid="certificate-dialog" data-thumbprint; "certificate-trust", "certificate-reject".
 */
import { useEffect, useState } from "react";
import type { BlockedBecause, CertificateView } from "../../../src-main/common/api/connections";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";
import { BLOCKED_LABEL, TRUST_LABEL, errorText, formatIsoDate, formatThumbprint } from "./format";

export interface CertificateSubject {
  certificate: CertificateView;
  /** Connections presenting it. */
  connections: { id: string; endpoint: string }[];
  blockedBecause?: BlockedBecause;
  message?: string;
}

interface Props extends CertificateSubject {
  canTrust: boolean;
  canReject: boolean;
  onClose(): void;
  onDecided(): void;
}

export function CertificateDialog({ certificate: c, connections, blockedBecause, message, canTrust, canReject, onClose, onDecided }: Props) {
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  const decide = (method: "certificates.trust" | "certificates.reject") => {
    setBusy(true);
    setError(null);
    call(connectApi(), method, { thumbprint: c.thumbprint, ...(reason.trim() ? { reason: reason.trim() } : {}) })
      .then(() => {
        onDecided();
        onClose();
      })
      .catch((err: unknown) => setError(errorText(err)))
      .finally(() => setBusy(false));
  };

  const expired = c.trust === "expired";
  return (
    <div className="conn-overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="conn-dialog" role="dialog" aria-modal="true" aria-label="Server certificate" data-testid="certificate-dialog" data-thumbprint={c.thumbprint}>
        <header className="conn-dialog-header">
          <h3>Server certificate</h3>
          <span className={`conn-trust conn-trust-${c.trust}`}>{TRUST_LABEL[c.trust]}</span>
          <span className="conn-spacer" />
          <button type="button" className="ghost" aria-label="Close" onClick={onClose}>
            ✕
          </button>
        </header>
        {blockedBecause ? (
          <p className="conn-blocked" data-testid="certificate-blocked">
            Holds {connections.map((x) => x.id).join(", ") || "a connection"} up: {BLOCKED_LABEL[blockedBecause]}. {message}
          </p>
        ) : null}
        <dl className="conn-facts">
          <dt>Subject</dt>
          <dd data-testid="certificate-subject">{c.subject}</dd>
          <dt>Issuer</dt>
          <dd>{c.selfSigned ? `${c.issuer} (self-signed)` : c.issuer}</dd>
          <dt>Thumbprint (SHA-1)</dt>
          <dd className="conn-mono" data-testid="certificate-thumbprint">
            {formatThumbprint(c.thumbprint)}
          </dd>
          <dt>Valid from</dt>
          <dd>{formatIsoDate(c.validFrom)}</dd>
          <dt>Valid to</dt>
          <dd className={expired ? "conn-error" : undefined}>{formatIsoDate(c.validTo)}</dd>
          {c.applicationUri ? (
            <>
              <dt>Application URI</dt>
              <dd className="conn-mono">{c.applicationUri}</dd>
            </>
          ) : null}
          <dt>Presented to</dt>
          <dd>{connections.length > 0 ? connections.map((x) => `${x.id} (${x.endpoint})`).join(", ") : "no connection now"}</dd>
        </dl>
        {canTrust || canReject ? (
          <div className="conn-decision">
            <p className="conn-dim">Compare the thumbprint with the one the server's owner reads on the server before trusting it.</p>
            <label>
              Reason (for the audit trail)
              <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} placeholder="optional" data-testid="certificate-reason" />
            </label>
            <div className="conn-buttons">
              {canTrust && c.trust !== "trusted" ? (
                <button type="button" className="conn-button conn-button-trust" disabled={busy || expired} data-testid="certificate-trust" onClick={() => decide("certificates.trust")}>
                  Trust
                </button>
              ) : null}
              {canReject && c.trust !== "rejected" ? (
                <button type="button" className="conn-button conn-button-reject" disabled={busy} data-testid="certificate-reject" onClick={() => decide("certificates.reject")}>
                  Reject
                </button>
              ) : null}
            </div>
            {!canTrust ? <p className="conn-dim">Only an admin can trust a certificate.</p> : null}
          </div>
        ) : null}
        {error ? (
          <p className="conn-error" data-testid="certificate-error">
            {error}
          </p>
        ) : null}
      </div>
    </div>
  );
}
