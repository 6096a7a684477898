/** How the commissioning panel writes values and saves reports. */
import type { IoRow } from "../../../src-main/common/api/commissioning";

/** A served value: number with its unit (about four significant digits), ON/OFF, item count, or a dash. */
export function formatIoValue(row: Pick<IoRow, "dataType" | "unit">, v: IoRow["value"] | undefined): string {
  if (v === undefined || v === null) return "—";
  if (typeof v === "boolean") return v ? "ON" : "OFF";
  if (Array.isArray(v)) return `${v.length} ${v.length === 1 ? "item" : "items"}`;
  const text = row.dataType === "Int32" || row.dataType === "UInt32" ? v.toFixed(0) : String(Number(v.toPrecision(4)));
  return row.unit ? `${text} ${row.unit}` : text;
}

/** Plant seconds as h:mm:ss. */
export function formatPlantTime(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return "—";
  const whole = Math.floor(s);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  return `${h}:${String(m).padStart(2, "0")}:${String(whole % 60).padStart(2, "0")}`;
}

/** Offers `content` as a file download (a Blob URL, released once the click has started the download). */
export function download(fileName: string, mimeType: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.rel = "noopener";
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
