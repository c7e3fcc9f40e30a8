export * from "./common";
export * from "./contact";
export * from "./artefacts";
export * from "./payments";
export * from "./items";
export * from "./reference";
