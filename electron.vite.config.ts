/**
 * One build for every target: Electron main (shell + CLI/headless host), each worker as its own entry,
 * the sandboxed preload (CommonJS, as Electron's sandbox requires) and the renderer.
 * Works without the Electron binary: nothing here starts Electron.
 */
import { resolve } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "electron-vite";
import { WORKER_ENTRIES } from "./src-main/runtime/workers";

const root = import.meta.dirname;
const workerInputs = Object.fromEntries(
  Object.entries(WORKER_ENTRIES).map(([name, source]) => [name, resolve(root, "src-workers", source)]),
);

export default defineConfig({
  main: {
    build: {
      outDir: "out/main",
      sourcemap: true,
      rollupOptions: {
        input: {
          index: resolve(root, "src-main/index.ts"),
          cli: resolve(root, "src-main/cli/main.ts"),
          ...workerInputs,
        },
        output: { format: "es", entryFileNames: "[name].js", chunkFileNames: "[name]-[hash].js" },
      },
    },
  },
  preload: {
    build: {
      outDir: "out/preload",
      rollupOptions: {
        input: { index: resolve(root, "src-main/preload/index.ts") },
        output: { format: "cjs", entryFileNames: "[name].cjs" },
      },
    },
  },
  renderer: {
    root: resolve(root, "src-renderer"),
    plugins: [react()],
    build: {
      outDir: resolve(root, "out/renderer"),
      emptyOutDir: true,
      chunkSizeWarningLimit: 2000,
      minify: true,
      rollupOptions: { input: resolve(root, "src-renderer/index.html") },
    },
  },
});
