/** One task, kept live: loaded, then followed through its event stream while it runs. */
import { useCallback, useEffect, useState } from "react";
import { api } from "../api/instance";
import type { Task } from "../api/types";
import { followTask } from "./tasksApi";

export interface LiveTask {
  task: Task | undefined;
  error: unknown;
  /** Replace the state (e.g. with the answer of a cancel). */
  setTask: (task: Task) => void;
}

export function useTask(taskId: string): LiveTask {
  const [task, setTaskState] = useState<Task | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const controller = new AbortController();
    setTaskState(undefined);
    setError(null);
    followTask(api, taskId, setTaskState, controller.signal).catch((err: unknown) => {
      if (!controller.signal.aborted) setError(err);
    });
    return () => controller.abort();
  }, [taskId]);

  const setTask = useCallback((next: Task) => setTaskState(next), []);
  return { task, error, setTask };
}
