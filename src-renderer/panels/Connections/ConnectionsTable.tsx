/**
 * One row per OPC UA connection: endpoint, state (with why, when not connected), security, identity, the
 * server certificate's standing, live statistics and the last problem; retry for operators.
 *
 * Test hooks: rows data-testid="connection-row" data-connection data-state; data-testid="connection-trust".
 */
import { useState } from "react";
import type { CertificateView, ConnectionInfo } from "../../../src-main/common/api/connections";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";
import { STATE_LABEL, TRUST_LABEL, commonName, errorText, formatLatency, formatRate, formatTime, identityText, mayRetry, securityText } from "./format";

interface Props {
  connections: ConnectionInfo[];
  canRetry: boolean;
  onCertificate(certificate: CertificateView, connection: ConnectionInfo): void;
  onChanged(): void;
}

export function ConnectionsTable({ connections, canRetry, onCertificate, onChanged }: Props) {
  const [retryError, setRetryError] = useState<{ id: string; message: string } | null>(null);
  const retry = (id: string) => {
    setRetryError(null);
    call(connectApi(), "connections.retry", { connection: id })
      .then(onChanged)
      .catch((err: unknown) => setRetryError({ id, message: errorText(err) }));
  };
  return (
    <table className="conn-table" data-testid="connections-table">
      <thead>
        <tr>
          <th>Connection</th>
          <th>State</th>
          <th>Security · identity</th>
          <th>Server certificate</th>
          <th className="num" title="Value notifications per second">Values</th>
          <th className="num" title="Server timestamp to arrival: median / 95th percentile">Latency</th>
          <th className="num" title="Reconnections since the start">Reconn.</th>
          <th className="num" title="Tags whose last value is no longer current">Stale</th>
          <th>Last problem</th>
          {canRetry ? <th /> : null}
        </tr>
      </thead>
      <tbody>
        {connections.map((c) => (
          <tr key={c.id} data-testid="connection-row" data-connection={c.id} data-state={c.state}>
            <td>
              <div className="conn-id">{c.id}</div>
              <div className="conn-endpoint" title={c.endpoint}>
                {c.endpoint}
              </div>
            </td>
            <td>
              <span className={`conn-state conn-state-${c.state}`} title={`since ${formatTime(c.since)}`}>
                {STATE_LABEL[c.state]}
              </span>
              {c.message ? (
                <div className="conn-message conn-clamp" title={c.message}>
                  {c.message}
                </div>
              ) : null}
            </td>
            <td>
              <div>{securityText(c)}</div>
              <div className="conn-dim">{identityText(c.identity)}</div>
            </td>
            <td>
              {c.certificate ? (
                <button type="button" className="ghost conn-cert" title={c.certificate.subject} data-testid="connection-trust" data-trust={c.certificate.trust} onClick={() => onCertificate(c.certificate!, c)}>
                  <span className={`conn-trust conn-trust-${c.certificate.trust}`}>{TRUST_LABEL[c.certificate.trust]}</span>
                  <span className="conn-cert-name">{commonName(c.certificate.subject)}</span>
                </button>
              ) : (
                <span className="conn-dim">not seen yet</span>
              )}
            </td>
            <td className="num" data-testid="connection-rate">
              {formatRate(c.statistics.notificationsPerS)}
            </td>
            <td className="num">
              {formatLatency(c.statistics.latencyP50Ms, c.statistics.latencyP95Ms)}
            </td>
            <td className="num">{c.statistics.reconnects}</td>
            <td className={`num${c.staleTags > 0 ? " conn-warn" : ""}`}>
              {c.staleTags}/{c.tagCount}
            </td>
            <td className="conn-last-error">
              {c.lastError ? (
                <div className="conn-clamp" title={c.lastError.message}>
                  <span className="conn-dim">{formatTime(c.lastError.at)}</span> {c.lastError.message}
                </div>
              ) : (
                <span className="conn-dim">none</span>
              )}
              {retryError?.id === c.id ? <div className="conn-error">{retryError.message}</div> : null}
            </td>
            {canRetry ? (
              <td>
                {mayRetry(c.state) ? (
                  <button type="button" className="ghost" data-testid="connection-retry" onClick={() => retry(c.id)}>
                    Retry
                  </button>
                ) : null}
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
