/** My tasks: status filter, paging, live status and progress (polled while any runs), cancel. */
import { PlusOutlined, StopOutlined } from "@ant-design/icons";
import { App, Button, Select, Space, Table, Typography } from "antd";
import type { TableProps } from "antd";
import { useEffect } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { api } from "../api/instance";
import type { Dataset, Page, Task, TaskStatus } from "../api/types";
import { ErrorAlert, errorMessage } from "../common/ErrorAlert";
import { formatDate } from "../common/format";
import { useLoader } from "../common/useLoader";
import { useI18n } from "../i18n/context";
import { taskStatusLabel, taskTypeLabel } from "./labels";
import { TaskProgress, TaskStatusTag } from "./TaskStatusTag";
import { cancelTask } from "./tasksApi";
import { TASK_STATUSES, formatDuration, isActive, upsertTask } from "./taskStatus";

const POLL_MS = 1500;

export function TasksPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const status = (params.get("status") as TaskStatus | null) ?? undefined;
  const page = Number(params.get("page") ?? "1");
  const pageSize = Number(params.get("size") ?? "20");

  const list = useLoader(
    (signal) => api.get<Page<Task>>("/tasks", { status, limit: pageSize, offset: (page - 1) * pageSize }, signal),
    [status, page, pageSize],
  );
  const datasets = useLoader((signal) => api.get<Page<Dataset>>("/datasets", { limit: 200 }, signal), []);
  const names = new Map((datasets.data?.items ?? []).map((d) => [d.id, d.name]));

  const anyActive = list.data?.items.some((task) => isActive(task.status)) ?? false;
  const { reload, setData } = list;
  useEffect(() => {
    if (!anyActive) return;
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [anyActive, reload]);

  const setParam = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === "") next.delete(key);
      else next.set(key, value);
    }
    setParams(next, { replace: true });
  };

  const cancel = async (task: Task) => {
    try {
      const updated = await cancelTask(api, task.id);
      if (list.data) setData({ ...list.data, items: upsertTask(list.data.items, updated) });
      void message.info(t("tasks.cancelRequested"));
    } catch (err) {
      void message.error(errorMessage(err, t("common.error")));
    }
  };

  const columns: TableProps<Task>["columns"] = [
    {
      title: t("tasks.col.task"),
      key: "type",
      render: (_: unknown, task) => (
        <Link to={`/tasks/${task.id}`} data-testid="task-link">
          {taskTypeLabel(t, task.task_type)}
        </Link>
      ),
    },
    {
      title: t("tasks.col.dataset"),
      key: "dataset",
      responsive: ["md"],
      render: (_: unknown, task) =>
        task.dataset_id ? <Link to={`/datasets/${task.dataset_id}`}>{names.get(task.dataset_id) ?? task.dataset_id.slice(0, 8)}</Link> : "–",
    },
    {
      title: t("tasks.col.status"),
      key: "status",
      render: (_: unknown, task) => (
        <Space direction="vertical" size={2}>
          <TaskStatusTag task={task} />
          {isActive(task.status) && <TaskProgress task={task} compact />}
        </Space>
      ),
    },
    { title: t("common.created"), key: "created", responsive: ["lg"], render: (_: unknown, task) => formatDate(task.created_at) },
    {
      title: t("tasks.col.duration"),
      key: "duration",
      responsive: ["sm"],
      align: "right",
      render: (_: unknown, task) => formatDuration(task.duration_seconds),
    },
    {
      title: t("common.actions"),
      key: "actions",
      render: (_: unknown, task) =>
        isActive(task.status) && !task.cancel_requested ? (
          <Button size="small" danger icon={<StopOutlined />} onClick={() => void cancel(task)} data-testid="task-cancel">
            <span className="hide-on-phone">{t("tasks.cancel")}</span>
          </Button>
        ) : null,
    },
  ];

  return (
    <>
      <div className="page-title-row">
        <Typography.Title level={3}>{t("tasks.title")}</Typography.Title>
        <Link to="/tasks/new">
          <Button type="primary" icon={<PlusOutlined />} data-testid="new-task">
            {t("tasks.new")}
          </Button>
        </Link>
      </div>
      <div className="filters">
        <Select<TaskStatus | "">
          value={status ?? ""}
          style={{ width: 160 }}
          onChange={(value) => setParam({ status: value || undefined, page: undefined })}
          options={[
            { value: "", label: t("tasks.status.any") },
            ...TASK_STATUSES.map((s) => ({ value: s, label: taskStatusLabel(t, s) })),
          ]}
          data-testid="task-status-filter"
        />
      </div>
      <ErrorAlert error={list.error} style={{ marginBottom: 12 }} />
      <Table<Task>
        rowKey="id"
        size="middle"
        data-testid="task-table"
        loading={list.loading && !list.data}
        columns={columns}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t("tasks.empty") }}
        scroll={{ x: "max-content" }}
        onChange={(pagination) =>
          setParam({ page: String(pagination.current ?? 1), size: String(pagination.pageSize ?? 20) })
        }
        pagination={{
          current: page,
          pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t("datasets.total", { total }),
        }}
      />
    </>
  );
}
