/** One task: live status and progress (its event stream), cancel, timings, parameters, result. */
import { ArrowLeftOutlined, RedoOutlined, StopOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Collapse, Descriptions, Grid, Space, Spin, Typography } from "antd";
import { Link, useParams } from "react-router-dom";
import { api } from "../api/instance";
import type { Dataset } from "../api/types";
import { ErrorAlert, errorMessage } from "../common/ErrorAlert";
import { formatDate } from "../common/format";
import { useLoader } from "../common/useLoader";
import { useI18n } from "../i18n/context";
import { PLATFORM_TYPES, taskTypeLabel } from "./labels";
import { TaskProgress, TaskStatusTag } from "./TaskStatusTag";
import { TaskResultView } from "./TaskResultView";
import { cancelTask } from "./tasksApi";
import { formatDuration, isActive } from "./taskStatus";
import { useTask } from "./useTask";

export function TaskDetailPage() {
  const { taskId = "" } = useParams();
  const { t } = useI18n();
  const { message } = App.useApp();
  const isPhone = !Grid.useBreakpoint().md;
  const { task, error, setTask } = useTask(taskId);
  const datasetId = task?.dataset_id ?? null;
  const dataset = useLoader(
    (signal) => (datasetId ? api.get<Dataset>(`/datasets/${datasetId}`, undefined, signal) : Promise.resolve(undefined)),
    [datasetId],
  );

  if (!task) return error ? <ErrorAlert error={error} /> : <Spin style={{ display: "block", margin: 48 }} />;

  const cancel = async () => {
    try {
      setTask(await cancelTask(api, task.id));
    } catch (err) {
      void message.error(errorMessage(err, t("common.error")));
    }
  };
  const again = `/tasks/new?type=${encodeURIComponent(task.task_type)}${datasetId ? `&dataset=${datasetId}` : ""}`;

  return (
    <>
      <Link to="/tasks">
        <ArrowLeftOutlined /> {t("tasks.title")}
      </Link>
      <div className="page-title-row" style={{ marginTop: 8 }}>
        <Space wrap align="center">
          <Typography.Title level={3} data-testid="task-title">
            {taskTypeLabel(t, task.task_type)}
          </Typography.Title>
          <TaskStatusTag task={task} />
        </Space>
        <Space wrap>
          {isActive(task.status) && (
            <Button danger icon={<StopOutlined />} onClick={() => void cancel()} disabled={task.cancel_requested} data-testid="task-cancel">
              {t("tasks.cancel")}
            </Button>
          )}
          {!isActive(task.status) && !PLATFORM_TYPES.has(task.task_type) && (
            <Link to={again} state={{ parameters: task.parameters }}>
              <Button icon={<RedoOutlined />}>{t("tasks.runAgain")}</Button>
            </Link>
          )}
        </Space>
      </div>
      <ErrorAlert error={error} style={{ marginBottom: 12 }} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <TaskProgress task={task} />
        <Descriptions size="small" column={isPhone ? 1 : 3} style={{ marginTop: 12 }}>
          <Descriptions.Item label={t("tasks.col.dataset")}>
            {datasetId ? <Link to={`/datasets/${datasetId}`}>{dataset.data?.name ?? datasetId.slice(0, 8)}</Link> : "–"}
          </Descriptions.Item>
          <Descriptions.Item label={t("common.created")}>{formatDate(task.created_at)}</Descriptions.Item>
          <Descriptions.Item label={t("tasks.col.duration")}>{formatDuration(task.duration_seconds)}</Descriptions.Item>
          <Descriptions.Item label={t("tasks.started")}>{formatDate(task.started_at)}</Descriptions.Item>
          <Descriptions.Item label={t("tasks.completed")}>{formatDate(task.completed_at)}</Descriptions.Item>
          <Descriptions.Item label={t("tasks.attempts")}>{task.attempts}</Descriptions.Item>
        </Descriptions>
        <Collapse
          ghost
          size="small"
          items={[
            {
              key: "params",
              label: t("tasks.parameters"),
              children: <pre className="code-block">{JSON.stringify(task.parameters, null, 2)}</pre>,
            },
          ]}
        />
      </Card>
      {task.status === "failed" && (
        <Alert
          type="error"
          showIcon
          data-testid="task-error"
          message={t("tasks.failed")}
          description={<span style={{ whiteSpace: "pre-wrap" }}>{task.error ?? t("common.error")}</span>}
        />
      )}
      {task.status === "cancelled" && <Alert type="warning" showIcon data-testid="task-cancelled" message={t("tasks.cancelled")} />}
      {task.status === "succeeded" && <TaskResultView task={task} />}
    </>
  );
}
