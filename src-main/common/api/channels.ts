/**
 * Electron IPC channel names. Kept free of imports because the sandboxed preload bundles this file
 * and may load nothing but `electron`.
 */
export const IPC_CHANNEL_PREFIX = "twinbench:";
/** Renderer → main: request envelopes. */
export const IPC_TO_MAIN = `${IPC_CHANNEL_PREFIX}request`;
/** Main → renderer: responses and events. */
export const IPC_TO_RENDERER = `${IPC_CHANNEL_PREFIX}message`;
