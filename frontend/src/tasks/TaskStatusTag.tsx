/** A task's status as a coloured tag, and its progress bar with the current step. */
import { Progress, Tag, Typography } from "antd";
import type { Task } from "../api/types";
import { useI18n } from "../i18n/context";
import { taskStatusLabel } from "./labels";
import { isActive, progressPercent, progressStatus, statusColor } from "./taskStatus";

export function TaskStatusTag({ task }: { task: Pick<Task, "status" | "cancel_requested"> }) {
  const { t } = useI18n();
  const stopping = task.cancel_requested && isActive(task.status);
  return (
    <Tag color={statusColor(task.status)} data-testid="task-status" data-status={task.status}>
      {stopping ? t("tasks.stopping") : taskStatusLabel(t, task.status)}
    </Tag>
  );
}

export function TaskProgress({ task, compact = false }: { task: Task; compact?: boolean }) {
  return (
    <div data-testid="task-progress" data-progress={progressPercent(task)} style={{ minWidth: compact ? 140 : undefined }}>
      <Progress
        percent={progressPercent(task)}
        status={progressStatus(task)}
        size={compact ? "small" : "default"}
        style={{ marginBottom: 0 }}
      />
      {task.progress_message && isActive(task.status) && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="task-progress-message">
          {task.progress_message}
        </Typography.Text>
      )}
    </div>
  );
}
