/** A team: rename, members with roles (owners and admins manage them), add member, leave. */
import { ArrowLeftOutlined, DeleteOutlined, UserAddOutlined } from "@ant-design/icons";
import { App, Button, Card, Form, Input, Popconfirm, Select, Space, Spin, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { api } from "../api/instance";
import type { Member, TeamDetail, TeamRole } from "../api/types";
import { useAuth } from "../auth/context";
import { ErrorAlert, errorMessage } from "../common/ErrorAlert";
import { useLoader } from "../common/useLoader";
import { useI18n } from "../i18n/context";

const ROLES: TeamRole[] = ["owner", "admin", "member", "viewer"];

export function TeamDetailPage() {
  const { teamId = "" } = useParams();
  const { t } = useI18n();
  const { user } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const team = useLoader((signal) => api.get<TeamDetail>(`/teams/${teamId}`, undefined, signal), [teamId]);
  const [form] = Form.useForm<{ email: string; role: TeamRole }>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (team.error) return <ErrorAlert error={team.error} />;
  if (!team.data) return <Spin style={{ display: "block", margin: 48 }} />;
  const data = team.data;
  const manages = !data.is_personal && (data.my_role === "owner" || data.my_role === "admin");
  const roleOptions = ROLES.map((r) => ({ value: r, label: t(`teams.role.${r}`) }));

  const run = async (action: () => Promise<unknown>, done: string) => {
    setError(null);
    try {
      await action();
      void message.success(done);
      team.reload();
    } catch (err) {
      void message.error(errorMessage(err, t("common.error")));
    }
  };

  const addMember = async (values: { email: string; role: TeamRole }) => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/teams/${teamId}/members`, { email: values.email.trim(), role: values.role });
      void message.success(t("teams.memberAdded"));
      form.resetFields(["email"]);
      team.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const leave = async () => {
    try {
      await api.post(`/teams/${teamId}/leave`);
      void message.success(t("teams.left"));
      navigate("/teams");
    } catch (err) {
      void message.error(errorMessage(err, t("common.error")));
    }
  };

  return (
    <>
      <Link to="/teams">
        <ArrowLeftOutlined /> {t("nav.teams")}
      </Link>
      <div className="page-title-row" style={{ marginTop: 8 }}>
        <Typography.Title
          level={3}
          editable={manages ? { onChange: (name) => name.trim() && void run(() => api.patch(`/teams/${teamId}`, { name: name.trim() }), t("dataset.saved")) } : false}
        >
          {data.name}
        </Typography.Title>
        <Space>
          {data.is_personal && <Tag>{t("teams.personal")}</Tag>}
          {!data.is_personal && (
            <Popconfirm title={t("teams.leaveConfirm")} onConfirm={() => void leave()}>
              <Button danger>{t("teams.leave")}</Button>
            </Popconfirm>
          )}
        </Space>
      </div>
      {manages && (
        <Card size="small" title={t("teams.addMember")} style={{ marginBottom: 16 }}>
          <ErrorAlert error={error} style={{ marginBottom: 12 }} />
          <Form form={form} layout="inline" initialValues={{ role: "member" }} onFinish={(v) => void addMember(v)} style={{ rowGap: 8 }}>
            <Form.Item name="email" rules={[{ required: true, type: "email", message: t("auth.invalidEmail") }]} style={{ minWidth: 240, flex: 1 }}>
              <Input placeholder={t("common.email")} data-testid="member-email" />
            </Form.Item>
            <Form.Item name="role">
              <Select style={{ width: 130 }} options={roleOptions} />
            </Form.Item>
            <Button type="primary" htmlType="submit" icon={<UserAddOutlined />} loading={busy} data-testid="add-member">
              {t("teams.addMember")}
            </Button>
          </Form>
        </Card>
      )}
      <Card size="small" title={t("teams.members")}>
        <Table<Member>
          rowKey="user_id"
          size="small"
          pagination={false}
          dataSource={data.members}
          scroll={{ x: "max-content" }}
          data-testid="members-table"
          columns={[
            { title: t("auth.username"), dataIndex: "username" },
            { title: t("common.email"), dataIndex: "email", responsive: ["sm"] },
            {
              title: t("common.role"),
              key: "role",
              render: (_: unknown, m) =>
                manages && m.user_id !== user?.id ? (
                  <Select
                    size="small"
                    value={m.role}
                    style={{ width: 120 }}
                    options={roleOptions}
                    onChange={(role) => void run(() => api.patch(`/teams/${teamId}/members/${m.user_id}`, { role }), t("teams.roleChanged"))}
                  />
                ) : (
                  <Tag color="blue">{t(`teams.role.${m.role}`)}</Tag>
                ),
            },
            {
              title: "",
              key: "remove",
              render: (_: unknown, m) =>
                manages && m.user_id !== user?.id ? (
                  <Popconfirm title={t("common.remove")} onConfirm={() => void run(() => api.delete(`/teams/${teamId}/members/${m.user_id}`), t("teams.memberRemoved"))}>
                    <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t("common.remove")} />
                  </Popconfirm>
                ) : null,
            },
          ]}
        />
      </Card>
    </>
  );
}
