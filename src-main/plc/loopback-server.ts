/**
 * Twinbench's OPC UA servers on the loopback interface (simulated PLC, plant server, soft PLC), all set up
 * alike: the server's own PKI, None/Sign/SignAndEncrypt, anonymous access, sampling down to 10 ms, and a
 * free port found (and retried) when asked for port 0.
 */
import { createServer as createTcpServer } from "node:net";
import { join } from "node:path";
import {
  MessageSecurityMode,
  MonitoredItem,
  OPCUACertificateManager,
  OPCUAServer,
  RegisterServerMethod,
  SecurityPolicy,
  Subscription,
  type AddressSpace,
} from "node-opcua";

/** Fastest sampling and publishing interval granted, ms: a 10 ms plant cycle must be observable. */
export const FASTEST_INTERVAL_MS = 10;
const RESOURCE_PATH = "/twinbench";

export interface ServerIdentity {
  /** e.g. `plant-server`: the application URI becomes urn:twinbench:<id>. */
  id: string;
  /** Shown to clients, e.g. `Twinbench plant server`. */
  name: string;
}

export interface StartedServer {
  server: OPCUAServer;
  /** `opc.tcp://127.0.0.1:PORT/twinbench` */
  endpoint: string;
}

/**
 * Creates, populates (`build`, before the port opens, so no client sees a half-built space) and starts a server.
 * With port 0 a free port is picked; if another process takes it before the bind, another one is tried.
 */
export async function startServer(options: {
  identity: ServerIdentity;
  port: number;
  host?: "127.0.0.1";
  pkiFolder: string;
  build: (addressSpace: AddressSpace) => void;
  log?: (line: string) => void;
}): Promise<StartedServer> {
  const host = options.host ?? "127.0.0.1";
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new Error(`port must be 0..65535, not ${options.port}`);
  lowerSamplingFloors();
  for (let attempt = 1; ; attempt++) {
    const port = options.port === 0 ? await findFreePort(host) : options.port;
    const server = createServer(options.identity, port, host, options.pkiFolder);
    try {
      await server.initialize();
      options.build(server.engine.addressSpace!);
      await server.start();
      return { server, endpoint: `opc.tcp://${host}:${port}${RESOURCE_PATH}` };
    } catch (err) {
      await server.shutdown(0).catch(() => {});
      if (options.port !== 0 || attempt >= 3 || !/EADDRINUSE|listen/i.test(String((err as Error)?.message ?? err))) throw err;
      options.log?.(`port ${port} was taken before the server could bind it; trying another`);
    }
  }
}

function createServer(identity: ServerIdentity, port: number, host: string, pkiFolder: string): OPCUAServer {
  const uri = `urn:twinbench:${identity.id}`;
  return new OPCUAServer({
    port,
    host,
    hostname: host,
    resourcePath: RESOURCE_PATH,
    securityModes: [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
    securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
    allowAnonymous: true,
    serverCertificateManager: new OPCUACertificateManager({ rootFolder: pkiFolder, automaticallyAcceptUnknownCertificate: true }),
    // Without this node-opcua creates a user PKI in the user's home directory.
    userCertificateManager: new OPCUACertificateManager({ rootFolder: join(pkiFolder, "user"), automaticallyAcceptUnknownCertificate: true }),
    registerServerMethod: RegisterServerMethod.HIDDEN,
    serverInfo: { applicationUri: uri, productUri: uri, applicationName: { text: identity.name } },
    buildInfo: { productName: identity.name, manufacturerName: "Twinbench", productUri: uri },
    serverCapabilities: {
      minSupportedSampleRate: FASTEST_INTERVAL_MS,
      maxSessions: 20,
      maxSubscriptionsPerSession: 20,
      // An IO checkout forces and reads a thousand points in one call.
      operationLimits: {
        maxNodesPerRead: 5000,
        maxNodesPerWrite: 5000,
        maxNodesPerBrowse: 5000,
        maxNodesPerMethodCall: 100,
        maxMonitoredItemsPerCall: 5000,
        maxNodesPerTranslateBrowsePathsToNodeIds: 5000,
      },
    },
  });
}

/** node-opcua's sampling and publishing floors are process-wide statics (50 ms): only ever lowered, never raised back. */
export function lowerSamplingFloors(): void {
  MonitoredItem.minimumSamplingInterval = Math.min(MonitoredItem.minimumSamplingInterval, FASTEST_INTERVAL_MS);
  Subscription.minimumPublishingInterval = Math.min(Subscription.minimumPublishingInterval, FASTEST_INTERVAL_MS);
}

/** A port free on `host` right now (the OS picks it). */
export function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createTcpServer();
    probe.unref();
    probe.once("error", reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error("could not find a free port"))));
    });
  });
}
