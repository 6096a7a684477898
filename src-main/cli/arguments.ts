/** Option parsers shared by every twinbench command: each refuses a bad value with a message naming it. */
import { InvalidArgumentError } from "commander";

export function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`"${value}" is not a TCP port (0-65535; 0 picks a free one)`);
  return n;
}

export function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`"${value}" is not a positive number`);
  return n;
}

export function endpoint(value: string): string {
  if (!/^opc\.tcp:\/\/[^\s/]+(:\d+)?(\/\S*)?$/.test(value)) throw new InvalidArgumentError(`"${value}" is not an opc.tcp:// endpoint URL`);
  return value;
}
