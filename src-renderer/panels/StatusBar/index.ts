export { StatusBar } from "./StatusBar";
