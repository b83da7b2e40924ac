/** Pure helpers about a task's state: whether it is still going, its colour, progress, duration. */
import type { Task, TaskStatus } from "../api/types";

export const TASK_STATUSES: TaskStatus[] = ["pending", "running", "succeeded", "failed", "cancelled"];

/** True while the task may still change (pending or running). */
export function isActive(status: string): boolean {
  return status === "pending" || status === "running";
}

/** The antd Tag colour of a status. */
export function statusColor(status: string): string {
  switch (status) {
    case "pending":
      return "default";
    case "running":
      return "processing";
    case "succeeded":
      return "success";
    case "failed":
      return "error";
    case "cancelled":
      return "warning";
    default:
      return "default";
  }
}

/** The antd Progress status shown for a task. */
export function progressStatus(task: Pick<Task, "status">): "active" | "success" | "exception" | "normal" {
  if (task.status === "succeeded") return "success";
  if (task.status === "failed" || task.status === "cancelled") return "exception";
  return task.status === "running" ? "active" : "normal";
}

/** Progress as a whole percentage in 0..100 (100 once succeeded). */
export function progressPercent(task: Pick<Task, "status" | "progress">): number {
  if (task.status === "succeeded") return 100;
  return Math.min(100, Math.max(0, Math.round(task.progress)));
}

/** A run time as "850 ms", "12.3 s", "4 min 05 s" or "2 h 03 min"; "–" when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return "–";
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, "0")} s`;
  const minutes = Math.floor(whole / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** A task type's name as words: "hypothesis_test" -> "Hypothesis test". */
export function humanize(name: string): string {
  const words = name.replace(/[_-]+/g, " ").trim();
  return words ? words[0]?.toUpperCase() + words.slice(1) : name;
}

/** Replace one task in a list by id (a newer state from a poll, an event or a cancel). */
export function upsertTask<T extends { id: string }>(tasks: T[], task: T): T[] {
  return tasks.some((t) => t.id === task.id) ? tasks.map((t) => (t.id === task.id ? task : t)) : tasks;
}
