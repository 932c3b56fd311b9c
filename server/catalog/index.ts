import "server-only";

export * from "./presets";
export * from "./gpu-skus";
export * from "./gpu-prices";
export * from "./gpu-fit";
