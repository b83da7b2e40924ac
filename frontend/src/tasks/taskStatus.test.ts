import { describe, expect, it } from "vitest";
import { formatDuration, humanize, isActive, progressPercent, progressStatus, statusColor, upsertTask } from "./taskStatus";

describe("task status", () => {
  it("knows which states may still change", () => {
    expect(["pending", "running"].map(isActive)).toEqual([true, true]);
    expect(["succeeded", "failed", "cancelled"].map(isActive)).toEqual([false, false, false]);
  });

  it("colours and progress per state", () => {
    expect(statusColor("running")).toBe("processing");
    expect(statusColor("failed")).toBe("error");
    expect(statusColor("something-new")).toBe("default");
    expect(progressStatus({ status: "running" })).toBe("active");
    expect(progressStatus({ status: "cancelled" })).toBe("exception");
    expect(progressPercent({ status: "succeeded", progress: 95 })).toBe(100);
    expect(progressPercent({ status: "running", progress: 42.6 })).toBe(43);
    expect(progressPercent({ status: "running", progress: 140 })).toBe(100);
  });

  it("formats run times", () => {
    expect(formatDuration(null)).toBe("–");
    expect(formatDuration(0.25)).toBe("250 ms");
    expect(formatDuration(3.21)).toBe("3.2 s");
    expect(formatDuration(42.4)).toBe("42 s");
    expect(formatDuration(245)).toBe("4 min 05 s");
    expect(formatDuration(7380)).toBe("2 h 03 min");
  });

  it("names task types and replaces a task in a list", () => {
    expect(humanize("hypothesis_test")).toBe("Hypothesis test");
    const list = [
      { id: "a", status: "running" },
      { id: "b", status: "pending" },
    ];
    expect(upsertTask(list, { id: "b", status: "cancelled" })).toEqual([
      { id: "a", status: "running" },
      { id: "b", status: "cancelled" },
    ]);
    expect(upsertTask(list, { id: "c", status: "running" })).toBe(list);
  });
});
