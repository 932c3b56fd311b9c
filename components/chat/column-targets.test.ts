import { describe, expect, it } from "vitest";

import type { ChatColumn } from "./chat-types";
import { fixColumnTargets } from "./column-targets";

const ready = [
  { namespace: "a", name: "first" },
  { namespace: "b", name: "wanted" },
];
const empty = (id: string): ChatColumn => ({ id, target: null, messages: [] });

describe("fixColumnTargets", () => {
  it("puts the requested Workspace into the first column, not the first ready one", () => {
    const { columns, unavailable } = fixColumnTargets([empty("1")], ready, "b/wanted");
    expect(columns[0].target).toEqual({ namespace: "b", name: "wanted", model: "" });
    expect(unavailable).toBeNull();
  });

  it("replaces a target carried over from the previous conversation with the requested one", () => {
    const carried = { id: "1", target: { namespace: "a", name: "first", model: "m" }, messages: [] };
    expect(fixColumnTargets([carried], ready, "b/wanted").columns[0].target?.name).toBe("wanted");
  });

  it("keeps the model already chosen for the requested Workspace", () => {
    const chosen = { id: "1", target: { namespace: "b", name: "wanted", model: "adapter-x" }, messages: [] };
    expect(fixColumnTargets([chosen], ready, "b/wanted").columns[0]).toBe(chosen);
  });

  it("leaves the first column empty and names the requested Workspace when it is not ready", () => {
    const { columns, unavailable } = fixColumnTargets([empty("1")], ready, "c/cold");
    expect(columns[0].target).toBeNull();
    expect(unavailable).toBe("c/cold");
  });

  it("does not fill the first column later on when the requested Workspace was not ready", () => {
    const first = fixColumnTargets([empty("1")], ready, "c/cold");
    expect(fixColumnTargets(first.columns, ready, null, false).columns[0].target).toBeNull();
  });

  it("offers the first ready Workspace when none was requested", () => {
    expect(fixColumnTargets([empty("1")], ready, null).columns[0].target?.name).toBe("first");
  });

  it("drops a Workspace that stopped being ready from any column", () => {
    const gone = { id: "2", target: { namespace: "z", name: "gone", model: "m" }, messages: [] };
    const { columns } = fixColumnTargets([empty("1"), gone], ready, null);
    expect(columns[1].target).toBeNull();
  });
});
