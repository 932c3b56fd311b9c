/** What a Kaito workload looks like from outside: runtimes, ports, config maps and secret keys. */

export const RUNTIME_VLLM = "vllm";
export const RUNTIME_TRANSFORMERS = "transformers";
export const DEFAULT_IMAGE_REGISTRY = "mcr.microsoft.com/aks/kaito";
export const INFERENCE_PORT = 5000;
export const SERVICE_PORT = 80;
export const DEFAULT_INFERENCE_CONFIGMAP = "inference-params-template";
export const INFERENCE_CONFIG_KEY = "inference_config.yaml";
export const TUNING_CONFIG_KEY = "training_config.yaml";
export const DEFAULT_TUNING_CONFIGMAPS = { lora: "lora-params-template", qlora: "qlora-params-template" } as const;
export const HF_TOKEN_KEY = "HF_TOKEN";
