/** A succeeded task's result: summary, notes, links it made, charts and tables, raw details. */
import { Alert, Card, Collapse, Spin, Typography } from "antd";
import { Link } from "react-router-dom";
import { api } from "../api/instance";
import type { Task } from "../api/types";
import { OutputView } from "../chat/OutputView";
import { RichText } from "../chat/RichText";
import { ErrorAlert } from "../common/ErrorAlert";
import { useLoader } from "../common/useLoader";
import { useI18n } from "../i18n/context";
import { resultView } from "./taskResult";
import { taskResult } from "./tasksApi";

export function TaskResultView({ task }: { task: Task }) {
  const { t } = useI18n();
  const loaded = useLoader((signal) => taskResult(api, task.id, signal), [task.id]);
  if (loaded.error) return <ErrorAlert error={loaded.error} />;
  if (!loaded.data) return <Spin style={{ display: "block", margin: 24 }} />;
  const view = resultView(loaded.data.result);

  return (
    <div className="task-result" data-testid="task-result">
      {view.summary && (
        <Card size="small" title={t("tasks.summary")}>
          <RichText text={view.summary} />
        </Card>
      )}
      {view.sampleNote && <Alert type="info" showIcon message={view.sampleNote} />}
      {view.newVersion !== null && task.dataset_id && (
        <Alert
          type="success"
          showIcon
          data-testid="task-new-version"
          message={t("tasks.newVersion", { version: `v${view.newVersion}` })}
          action={<Link to={`/datasets/${task.dataset_id}?tab=versions`}>{t("tasks.openVersions")}</Link>}
        />
      )}
      {view.reportId && (
        <Alert
          type="success"
          showIcon
          message={t("tasks.reportRendered")}
          action={<Link to={`/reports/${view.reportId}`}>{t("tasks.openReport")}</Link>}
        />
      )}
      {view.figures.map((figure, i) => (
        <Card key={`f${i}`} size="small" className="task-result-card" data-testid="task-figure">
          <OutputView part={figure} />
        </Card>
      ))}
      {view.tables.map((table, i) => (
        <Card key={`t${i}`} size="small" title={table.title ?? undefined} className="task-result-card">
          <OutputView part={table.part} />
        </Card>
      ))}
      {view.details && (
        <Collapse
          size="small"
          items={[
            {
              key: "details",
              label: t("tasks.details"),
              children: (
                <pre className="code-block" style={{ maxHeight: 420 }}>
                  {JSON.stringify(view.details, null, 2)}
                </pre>
              ),
            },
          ]}
        />
      )}
      {!view.summary && view.figures.length === 0 && view.tables.length === 0 && !view.details && (
        <Typography.Text type="secondary">{t("tasks.noResult")}</Typography.Text>
      )}
    </div>
  );
}
