/**
 * The plant layer's public face: the link to the plant (connections, browsing, certificate decisions), the
 * sample types and their conversion to the contract, and the scene-binding edit. Writing is not here: the
 * PlcWriter comes only from `PlantLink.takeWriter()`, for the governance layer.
 */
export { PlantLink, type PendingCertificate, type PlantLinkOptions } from "./plant-link";
export type { PlantConnection } from "./plant-connection";
export type { AddressSpaceBrowser, BrowsedNode, NodeDescription, SearchHit } from "./address-space-browser";
export type { PlcWriter, WriteInput, WriteOutcome } from "./plc-writer";
export { discoverEndpoints, type EndpointInfo } from "./endpoints";
export { freshnessTagSamples, qualityOf, toTagSample } from "./quality";
export { linkConfigOfScene } from "./scene-config";
export type { CertificateTrust } from "./certificates";
export { bindTagInSceneText, sceneDataTypeOf, type BindResult, type TagBindingEdit } from "./scene-binding";
export * from "./types";
