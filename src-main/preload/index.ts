/**
 * The sandboxed preload: exposes exactly one global, `window.twinbench`, with two fixed channels.
 * The renderer can neither name a channel nor reach ipcRenderer itself.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from "electron";
import { IPC_TO_MAIN, IPC_TO_RENDERER } from "../common/api/channels";

const bridge = {
  send(message: unknown): void {
    ipcRenderer.send(IPC_TO_MAIN, message);
  },
  onMessage(listener: (message: unknown) => void): () => void {
    const handler = (_event: IpcRendererEvent, message: unknown) => listener(message);
    ipcRenderer.on(IPC_TO_RENDERER, handler);
    return () => ipcRenderer.removeListener(IPC_TO_RENDERER, handler);
  },
};

contextBridge.exposeInMainWorld("twinbench", bridge);
