export { TagPanel } from "./TagPanel";
