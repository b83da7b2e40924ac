/** Share a dataset with a person (by email) or a team, list and remove shares, toggle public. */
import { DeleteOutlined, TeamOutlined, UserOutlined } from "@ant-design/icons";
import { App, Button, Divider, Form, Input, List, Modal, Popconfirm, Radio, Select, Space, Switch, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { api } from "../api/instance";
import type { DatasetDetail, DatasetShare, Team } from "../api/types";
import { ErrorAlert } from "../common/ErrorAlert";
import { useLoader } from "../common/useLoader";
import { useI18n } from "../i18n/context";

interface ShareValues {
  target: "user" | "team";
  email?: string;
  team_id?: string;
  role: "viewer" | "editor";
}

interface Props {
  dataset: DatasetDetail;
  open: boolean;
  onClose: () => void;
  onChanged: () => void;
}

export function ShareDialog({ dataset, open, onClose, onChanged }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<ShareValues>();
  const target = Form.useWatch("target", form) ?? "user";
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [teams, setTeams] = useState<Team[]>([]);
  const shares = useLoader(
    (signal) => (open ? api.get<DatasetShare[]>(`/datasets/${dataset.id}/shares`, undefined, signal) : Promise.resolve([])),
    [dataset.id, open],
  );

  useEffect(() => {
    if (open) api.get<Team[]>("/teams").then((list) => setTeams(list.filter((team) => team.id !== dataset.team_id)), () => setTeams([]));
  }, [open, dataset.team_id]);

  const submit = async (values: ShareValues) => {
    setBusy(true);
    setError(null);
    try {
      const body =
        values.target === "user" ? { email: values.email?.trim(), role: values.role } : { team_id: values.team_id, role: values.role };
      await api.post(`/datasets/${dataset.id}/share`, body);
      void message.success(t("share.added"));
      form.resetFields(["email", "team_id"]);
      shares.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (share: DatasetShare) => {
    try {
      await api.delete(`/datasets/${dataset.id}/share/${share.id}`);
      void message.success(t("share.removed"));
      shares.reload();
    } catch (err) {
      setError(err);
    }
  };

  const setPublic = async (isPublic: boolean) => {
    try {
      await api.put(`/datasets/${dataset.id}`, { is_public: isPublic });
      onChanged();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Modal open={open} onCancel={onClose} footer={null} title={t("share.title", { name: dataset.name })} destroyOnHidden>
      <ErrorAlert error={error} style={{ marginBottom: 12 }} />
      <Form<ShareValues> form={form} layout="vertical" initialValues={{ target: "user", role: "viewer" }} onFinish={submit}>
        <Form.Item name="target">
          <Radio.Group optionType="button">
            <Radio.Button value="user">
              <UserOutlined /> {t("share.withUser")}
            </Radio.Button>
            <Radio.Button value="team" disabled={teams.length === 0}>
              <TeamOutlined /> {t("share.withTeam")}
            </Radio.Button>
          </Radio.Group>
        </Form.Item>
        <Space.Compact style={{ width: "100%" }}>
          {target === "user" ? (
            <Form.Item name="email" noStyle rules={[{ required: true, type: "email", message: t("auth.invalidEmail") }]}>
              <Input placeholder={t("share.email")} data-testid="share-email" />
            </Form.Item>
          ) : (
            <Form.Item name="team_id" noStyle rules={[{ required: true, message: t("auth.required") }]}>
              <Select
                placeholder={t("share.team")}
                style={{ width: "100%" }}
                options={teams.map((team) => ({ value: team.id, label: team.name }))}
              />
            </Form.Item>
          )}
          <Form.Item name="role" noStyle>
            <Select
              style={{ width: 120 }}
              options={[
                { value: "viewer", label: t("share.viewer") },
                { value: "editor", label: t("share.editor") },
              ]}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="share-submit">
            {t("share.add")}
          </Button>
        </Space.Compact>
      </Form>
      <Divider orientation="left" plain>
        {t("share.current")}
      </Divider>
      <List<DatasetShare>
        size="small"
        loading={shares.loading}
        dataSource={shares.data ?? []}
        locale={{ emptyText: t("share.nobody") }}
        data-testid="share-list"
        renderItem={(share) => (
          <List.Item
            actions={[
              <Popconfirm key="rm" title={t("common.remove")} onConfirm={() => void remove(share)}>
                <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t("common.remove")} />
              </Popconfirm>,
            ]}
          >
            <Space>
              {share.user_email ? <UserOutlined /> : <TeamOutlined />}
              <Typography.Text>{share.user_email ?? share.team_name}</Typography.Text>
              <Tag>{share.role === "editor" ? t("share.editor") : t("share.viewer")}</Tag>
            </Space>
          </List.Item>
        )}
      />
      {dataset.my_access === "manage" && (
        <>
          <Divider />
          <Space>
            <Switch checked={dataset.is_public} onChange={(v) => void setPublic(v)} />
            <Typography.Text>{t("share.publicLabel")}</Typography.Text>
          </Space>
        </>
      )}
    </Modal>
  );
}
