/** The result of verifying the audit chain: intact (entries, head hash) or the first bad entry and why. */
import type { ChainReport } from "../../../src-main/common/api/governance";
import { shortHash } from "./filters";

export function ChainStatus({ report, error, busy, onVerify }: { report: ChainReport | null; error: string | null; busy: boolean; onVerify(): void }) {
  return (
    <div className={`chain-status${report ? (report.ok ? " ok" : " bad") : ""}`} data-testid="chain-status" data-ok={report ? String(report.ok) : ""}>
      {report === null ? (
        <span className="gov-dim">{error ?? (busy ? "verifying the chain…" : "chain not verified yet")}</span>
      ) : report.ok ? (
        <span>
          ✓ chain intact: {report.entries} entries{report.headHash ? `, head ${shortHash(report.headHash)}` : ""}
        </span>
      ) : (
        <span data-testid="chain-first-bad">
          ✗ chain broken at entry #{report.firstBad?.seq ?? "?"}: {report.firstBad?.problem} — {report.firstBad?.message}
        </span>
      )}
      {report && report.warnings.length > 0 ? <span className="gov-dim"> ({report.warnings.join("; ")})</span> : null}
      <button type="button" className="ghost" onClick={onVerify} disabled={busy} data-testid="chain-verify">
        {busy ? "Verifying…" : "Verify again"}
      </button>
    </div>
  );
}
