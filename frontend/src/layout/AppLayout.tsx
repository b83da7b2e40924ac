/** The signed-in shell: a side menu on wide screens, a drawer menu on phones, and the header. */
import {
  DatabaseOutlined,
  FileTextOutlined,
  LogoutOutlined,
  MenuOutlined,
  MessageOutlined,
  ProfileOutlined,
  SettingOutlined,
  TeamOutlined,
  UserOutlined,
} from "@ant-design/icons";
import { App, Avatar, Button, Drawer, Dropdown, Grid, Layout, Menu } from "antd";
import { useState } from "react";
import { Link, Outlet, useLocation, useNavigate } from "react-router-dom";
import { useAuth } from "../auth/context";
import { useI18n } from "../i18n/context";
import { LanguageSwitch } from "./LanguageSwitch";

const SECTIONS = ["datasets", "conversations", "tasks", "reports", "teams", "settings"] as const;

function currentSection(pathname: string): string {
  if (/^\/datasets\/[^/]+\/chat/.test(pathname)) return "conversations";
  return SECTIONS.find((s) => pathname.startsWith(`/${s}`)) ?? "datasets";
}

export function AppLayout() {
  const { t } = useI18n();
  const { user, logout } = useAuth();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const isPhone = !screens.md;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const location = useLocation();
  const navigate = useNavigate();
  const selected = currentSection(location.pathname);

  const items = [
    { key: "datasets", icon: <DatabaseOutlined />, label: <Link to="/datasets">{t("nav.datasets")}</Link> },
    {
      key: "conversations",
      icon: <MessageOutlined />,
      label: <Link to="/conversations">{t("nav.conversations")}</Link>,
    },
    { key: "tasks", icon: <ProfileOutlined />, label: <Link to="/tasks">{t("nav.tasks")}</Link> },
    { key: "reports", icon: <FileTextOutlined />, label: <Link to="/reports">{t("nav.reports")}</Link> },
    { key: "teams", icon: <TeamOutlined />, label: <Link to="/teams">{t("nav.teams")}</Link> },
    { key: "settings", icon: <SettingOutlined />, label: <Link to="/settings">{t("nav.settings")}</Link> },
  ];
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={[selected]}
      items={items}
      onClick={() => setDrawerOpen(false)}
      style={{ borderInlineEnd: 0 }}
    />
  );

  const signOut = async () => {
    await logout();
    void message.info(t("auth.signedOut"));
    navigate("/login");
  };

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Header className="app-header" style={{ height: isPhone ? 56 : 64 }}>
        {isPhone && (
          <Button type="text" icon={<MenuOutlined />} aria-label={t("nav.menu")} onClick={() => setDrawerOpen(true)} />
        )}
        <Link to="/datasets" className="app-brand">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          {t("app.name")}
        </Link>
        <div style={{ flex: 1 }} />
        <LanguageSwitch />
        <Dropdown
          trigger={["click"]}
          menu={{
            items: [
              { key: "who", label: user?.email ?? "", disabled: true },
              { type: "divider" },
              { key: "logout", icon: <LogoutOutlined />, label: t("auth.signOut"), onClick: () => void signOut() },
            ],
          }}
        >
          <Button type="text" data-testid="user-menu" style={{ paddingInline: 4 }}>
            <Avatar size="small" icon={<UserOutlined />} />
            {!isPhone && <span style={{ marginLeft: 6 }}>{user?.username}</span>}
          </Button>
        </Dropdown>
      </Layout.Header>
      <Layout>
        {!isPhone && (
          <Layout.Sider width={200} theme="light" style={{ borderRight: "1px solid #f0f0f0" }}>
            {menu}
          </Layout.Sider>
        )}
        <Layout.Content>
          <div className="app-content">
            <Outlet />
          </div>
        </Layout.Content>
      </Layout>
      <Drawer
        placement="left"
        width={240}
        open={isPhone && drawerOpen}
        onClose={() => setDrawerOpen(false)}
        title={t("app.name")}
        styles={{ body: { padding: 0 } }}
      >
        {menu}
      </Drawer>
    </Layout>
  );
}
