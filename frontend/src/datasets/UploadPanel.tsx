/**
 * Drag-and-drop upload: a real byte progress bar while the file is sent, then the server's
 * ingest progress (polled) until the dataset is ready or failed.
 */
import { InboxOutlined } from "@ant-design/icons";
import { Button, Card, Progress, Select, Space, Typography, Upload } from "antd";
import { useEffect, useRef, useState } from "react";
import { Link } from "react-router-dom";
import { ApiError } from "../api/client";
import { api } from "../api/instance";
import type { Dataset, Team } from "../api/types";
import { uploadDataset } from "../api/upload";
import { useAuth } from "../auth/context";
import { errorMessage } from "../common/ErrorAlert";
import { formatBytes } from "../common/format";
import { useI18n } from "../i18n/context";

type Phase = "uploading" | "processing" | "ready" | "failed";

interface UploadItem {
  key: string;
  fileName: string;
  size: number;
  phase: Phase;
  sent: number;
  progress: number;
  statusMessage: string | null;
  error: string | null;
  datasetId: string | null;
  abort?: () => void;
}

const WAIT_SECONDS = 10;

export function UploadPanel({ onChanged }: { onChanged: () => void }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const [teams, setTeams] = useState<Team[]>([]);
  const [teamId, setTeamId] = useState<string | undefined>(user?.personal_team_id ?? undefined);
  const [items, setItems] = useState<UploadItem[]>([]);
  const onChangedRef = useRef(onChanged);
  onChangedRef.current = onChanged;
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    api.get<Team[]>("/teams").then(setTeams, () => setTeams([]));
  }, []);

  const update = (key: string, patch: Partial<UploadItem>) =>
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...patch } : item)));

  const pollIngest = async (key: string, id: string) => {
    while (mounted.current) {
      let dataset: Dataset;
      try {
        // long polling: the server answers as soon as the progress changes
        dataset = await api.get<Dataset>(`/datasets/${id}?wait=${WAIT_SECONDS}`);
      } catch (err) {
        update(key, { phase: "failed", error: errorMessage(err, t("common.error")) });
        return;
      }
      update(key, {
        progress: dataset.progress,
        statusMessage: dataset.status_message,
        phase: dataset.status === "processing" ? "processing" : dataset.status,
        error: dataset.error,
      });
      if (dataset.status !== "processing") {
        onChangedRef.current();
        return;
      }
    }
  };

  const start = (file: File) => {
    const key = `${file.name}-${Date.now()}-${Math.random()}`;
    const handle = uploadDataset(api, file, { teamId }, (loaded, total) =>
      update(key, { sent: total > 0 ? Math.min(100, Math.round((loaded / total) * 100)) : 0 }),
    );
    setItems((list) => [
      {
        key,
        fileName: file.name,
        size: file.size,
        phase: "uploading",
        sent: 0,
        progress: 0,
        statusMessage: null,
        error: null,
        datasetId: null,
        abort: handle.abort,
      },
      ...list,
    ]);
    handle.promise.then(
      (dataset) => {
        update(key, {
          phase: dataset.status === "processing" ? "processing" : dataset.status,
          sent: 100,
          datasetId: dataset.id,
          progress: dataset.progress,
          statusMessage: dataset.status_message,
        });
        onChangedRef.current();
        if (dataset.status === "processing") void pollIngest(key, dataset.id);
      },
      (err: unknown) => {
        const text = err instanceof ApiError ? err.message : errorMessage(err, t("common.error"));
        update(key, { phase: "failed", error: text });
      },
    );
  };

  return (
    <Card size="small" style={{ marginBottom: 16 }}>
      <Space wrap style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary">{t("upload.team")}</Typography.Text>
        <Select
          style={{ minWidth: 180 }}
          size="small"
          value={teamId}
          onChange={setTeamId}
          data-testid="upload-team"
          options={teams.map((team) => ({
            value: team.id,
            label: team.is_personal ? `${t("upload.personalTeam")} (${user?.username ?? ""})` : team.name,
          }))}
        />
      </Space>
      <div data-testid="upload-dragger">
      <Upload.Dragger
        multiple
        showUploadList={false}
        beforeUpload={(file) => {
          start(file);
          return false;
        }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t("upload.drop")}</p>
        <p className="ant-upload-hint">{t("upload.hint")}</p>
      </Upload.Dragger>
      </div>
      {items.map((item) => (
        <UploadRow
          key={item.key}
          item={item}
          onDismiss={() => setItems((list) => list.filter((i) => i.key !== item.key))}
        />
      ))}
    </Card>
  );
}

function UploadRow({ item, onDismiss }: { item: UploadItem; onDismiss: () => void }) {
  const { t } = useI18n();
  const uploading = item.phase === "uploading";
  const percent = uploading ? item.sent : item.progress;
  const status = item.phase === "failed" ? "exception" : item.phase === "ready" ? "success" : "active";
  const label =
    item.phase === "uploading"
      ? t("upload.uploading", { percent: item.sent })
      : item.phase === "processing"
        ? `${t("upload.processing")}${item.statusMessage ? `: ${item.statusMessage}` : ""}`
        : item.phase === "ready"
          ? t("upload.ready")
          : `${t("upload.failed")}: ${item.error ?? ""}`;
  return (
    <div data-testid="upload-item" data-phase={item.phase} style={{ marginTop: 12 }}>
      <div style={{ display: "flex", justifyContent: "space-between", gap: 8, flexWrap: "wrap" }}>
        <Typography.Text strong ellipsis style={{ maxWidth: "60%" }}>
          {item.fileName} <Typography.Text type="secondary">({formatBytes(item.size)})</Typography.Text>
        </Typography.Text>
        <Space size="small">
          {item.datasetId && item.phase === "ready" && (
            <Link to={`/datasets/${item.datasetId}`} data-testid="upload-open">
              {t("common.open")}
            </Link>
          )}
          {uploading ? (
            <Button size="small" type="link" onClick={item.abort}>
              {t("upload.cancel")}
            </Button>
          ) : item.phase !== "processing" ? (
            <Button size="small" type="link" onClick={onDismiss}>
              {t("upload.dismiss")}
            </Button>
          ) : null}
        </Space>
      </div>
      <Progress
        percent={percent}
        status={status}
        strokeColor={uploading ? undefined : item.phase === "processing" ? "#52c41a" : undefined}
        size="small"
      />
      <Typography.Text type={item.phase === "failed" ? "danger" : "secondary"} style={{ fontSize: 12 }} data-testid="upload-label">
        {label}
      </Typography.Text>
    </div>
  );
}
