/**
 * Failure modes tests can switch on per workspace through POST /_double/faults, so that one test
 * breaking "its" model server leaves every other workspace of the shared double alone.
 * - fail: 500 with a vLLM-style error body
 * - overload: 429, as if the queue were full
 * - stall: accepts the request and never answers (the caller's timeout or abort must end it)
 * - break: streams a few tokens, then drops the connection mid-answer
 */
export const FAULT_MODES = ["fail", "overload", "stall", "break"] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

/** "namespace/name" for a routed workspace, "default" for unprefixed requests, "*" for all. */
export type FaultTarget = string;

export class Faults {
  private readonly modes = new Map<FaultTarget, FaultMode>();

  set(target: FaultTarget, mode: FaultMode | "none"): void {
    if (mode === "none") this.modes.delete(target);
    else this.modes.set(target, mode);
  }

  clear(): void {
    this.modes.clear();
  }

  for(scope: string): FaultMode | undefined {
    return this.modes.get(scope) ?? this.modes.get("*");
  }

  list(): Record<string, FaultMode> {
    return Object.fromEntries(this.modes);
  }
}
