/** Arguments the CLI passes to the Electron main process (`--scene`, `--endpoint`, `--data`, `--plant-endpoint`). */
export interface ShellArgs {
  scene?: string;
  endpoint?: string;
  data?: string;
  speedup?: string;
  /** The embedded demo's plant server (the commissioning desk drives it); only with the virtual plant `start` ran. */
  plantEndpoint?: string;
}

const KEYS: Record<string, keyof ShellArgs> = { "--scene": "scene", "--endpoint": "endpoint", "--data": "data", "--speedup": "speedup", "--plant-endpoint": "plantEndpoint" };

export function parseShellArgs(argv: readonly string[]): ShellArgs {
  const out: ShellArgs = {};
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    const value = argv[i + 1];
    const name = key !== undefined && Object.hasOwn(KEYS, key) ? KEYS[key] : undefined;
    if (name && value !== undefined) {
      out[name] = value;
      i++;
    }
  }
  return out;
}
