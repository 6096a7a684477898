import type { PreloadBridge } from "../src-main/common/api/contract";

declare global {
  interface Window {
    /** Present only inside the Electron window: the sandboxed preload's one global. */
    twinbench?: PreloadBridge;
  }
}

export {};
