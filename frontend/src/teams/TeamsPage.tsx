/** My teams with my role in each; create a team. */
import { PlusOutlined } from "@ant-design/icons";
import { App, Button, Form, Input, Modal, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api } from "../api/instance";
import type { Team } from "../api/types";
import { ErrorAlert } from "../common/ErrorAlert";
import { formatDate } from "../common/format";
import { useLoader } from "../common/useLoader";
import { useI18n } from "../i18n/context";

export function TeamsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const teams = useLoader((signal) => api.get<Team[]>("/teams", undefined, signal), []);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ name: string }>();

  const create = async () => {
    const { name } = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const team = await api.post<Team>("/teams", { name: name.trim() });
      void message.success(t("teams.created"));
      setOpen(false);
      navigate(`/teams/${team.id}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div className="page-title-row">
        <Typography.Title level={3}>{t("teams.title")}</Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="create-team">
          {t("teams.create")}
        </Button>
      </div>
      <ErrorAlert error={teams.error} style={{ marginBottom: 12 }} />
      <Table<Team>
        rowKey="id"
        loading={teams.loading}
        dataSource={teams.data ?? []}
        pagination={false}
        data-testid="teams-table"
        columns={[
          {
            title: t("teams.name"),
            key: "name",
            render: (_: unknown, team) => (
              <>
                <Link to={`/teams/${team.id}`}>{team.name}</Link>
                {team.is_personal && <Tag style={{ marginLeft: 6 }}>{t("teams.personal")}</Tag>}
              </>
            ),
          },
          {
            title: t("teams.myRole"),
            dataIndex: "my_role",
            render: (role: Team["my_role"]) => (role ? <Tag color="blue">{t(`teams.role.${role}`)}</Tag> : "–"),
          },
          { title: t("common.created"), dataIndex: "created_at", responsive: ["sm"], render: (d: string) => formatDate(d) },
        ]}
      />
      <Modal open={open} title={t("teams.create")} onCancel={() => setOpen(false)} onOk={() => void create()} confirmLoading={busy} okText={t("common.create")} destroyOnHidden>
        <ErrorAlert error={error} style={{ marginBottom: 12 }} />
        <Form form={form} layout="vertical" onFinish={() => void create()}>
          <Form.Item name="name" label={t("teams.name")} rules={[{ required: true, message: t("auth.required") }]}>
            <Input autoFocus data-testid="team-name" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
