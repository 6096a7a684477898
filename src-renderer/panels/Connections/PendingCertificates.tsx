/**
 * Certificates holding a connection up, at the top of the panel so nobody misses one: what it is, why it
 * blocks, and a button to review it (the dialog has the decision).
 *
 * Test hooks: rows data-testid="pending-certificate" data-thumbprint data-because; "review-certificate".
 */
import type { BlockingCertificate } from "../../../src-main/common/api/connections";
import { BLOCKED_LABEL, commonName, formatThumbprint } from "./format";

export function PendingCertificates({ blocking, onReview }: { blocking: BlockingCertificate[]; onReview(b: BlockingCertificate): void }) {
  if (blocking.length === 0) return null;
  return (
    <ul className="conn-pending" data-testid="pending-certificates">
      {blocking.map((b) => (
        <li key={b.certificate.thumbprint} data-testid="pending-certificate" data-thumbprint={b.certificate.thumbprint} data-because={b.blockedBecause}>
          <span className={`conn-trust conn-trust-${b.certificate.trust}`}>{BLOCKED_LABEL[b.blockedBecause]}</span>
          <strong>{commonName(b.certificate.subject)}</strong>
          <span className="conn-mono conn-dim">{formatThumbprint(b.certificate.thumbprint)}</span>
          <span className="conn-dim">holds {b.connections.map((c) => c.id).join(", ") || "a connection"} up</span>
          <span className="conn-spacer" />
          <button type="button" className="conn-button" data-testid="review-certificate" onClick={() => onReview(b)}>
            Review…
          </button>
        </li>
      ))}
    </ul>
  );
}
