export { InspectorPanel } from "./InspectorPanel";
