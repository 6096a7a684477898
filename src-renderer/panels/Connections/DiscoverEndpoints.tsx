/**
 * Endpoint discovery (engineers): the endpoints a server at a URL offers, each with its security mode and
 * policy, the identities it accepts and its certificate's standing here.
 *
 * Test hooks: data-testid="discover-url", "discover-run", rows data-testid="discovered-endpoint" data-mode data-policy.
 */
import { useState } from "react";
import type { DiscoveredEndpoint } from "../../../src-main/common/api/connections";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";
import { TRUST_LABEL, errorText, formatThumbprint } from "./format";

export function DiscoverEndpoints({ initialUrl }: { initialUrl: string }) {
  const [url, setUrl] = useState(initialUrl);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ url: string; endpoints: DiscoveredEndpoint[] } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const discover = () => {
    const endpointUrl = url.trim();
    setBusy(true);
    setError(null);
    call(connectApi(), "endpoints.discover", { endpointUrl })
      .then((endpoints) => setResult({ url: endpointUrl, endpoints }))
      .catch((err: unknown) => {
        setResult(null);
        setError(errorText(err));
      })
      .finally(() => setBusy(false));
  };

  return (
    <section className="conn-discover" data-testid="discover-endpoints">
      <form
        className="conn-form"
        onSubmit={(e) => {
          e.preventDefault();
          discover();
        }}
      >
        <label className="grow">
          Discover the endpoints of
          <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="opc.tcp://host:4840" spellCheck={false} data-testid="discover-url" />
        </label>
        <button type="submit" className="conn-button" disabled={busy || !url.trim()} data-testid="discover-run">
          {busy ? "Asking…" : "Discover"}
        </button>
      </form>
      {error ? (
        <p className="conn-error" data-testid="discover-error">
          {error}
        </p>
      ) : null}
      {result ? (
        <table className="conn-table">
          <thead>
            <tr>
              <th>Security mode</th>
              <th>Policy</th>
              <th className="num">Level</th>
              <th>Identities</th>
              <th>Certificate</th>
              <th>Server</th>
            </tr>
          </thead>
          <tbody>
            {result.endpoints.map((e, k) => (
              <tr key={k} data-testid="discovered-endpoint" data-mode={e.securityMode} data-policy={e.securityPolicy}>
                <td>{e.securityMode}</td>
                <td>{e.securityPolicy}</td>
                <td className="num">{e.securityLevel}</td>
                <td>{e.userIdentityTokens.join(", ")}</td>
                <td>
                  {e.certificate ? (
                    <>
                      <span className={`conn-trust conn-trust-${e.certificate.trust}`}>{TRUST_LABEL[e.certificate.trust]}</span>{" "}
                      <span className="conn-mono conn-dim" title={formatThumbprint(e.certificate.thumbprint)}>
                        {e.certificate.thumbprint.slice(0, 16)}…
                      </span>
                    </>
                  ) : (
                    <span className="conn-dim">none</span>
                  )}
                </td>
                <td title={e.server.applicationUri}>{e.server.applicationName}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
