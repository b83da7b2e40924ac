/** Shows an error (an ApiError's message, or a generic one) as an antd Alert. */
import { Alert } from "antd";
import { ApiError } from "../api/client";
import { useI18n } from "../i18n/context";

export function errorMessage(error: unknown, fallback: string): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return fallback;
}

export function ErrorAlert({ error, style }: { error: unknown; style?: React.CSSProperties }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      style={style}
      message={errorMessage(error, t("common.error"))}
      description={error instanceof ApiError && error.code !== "http_error" ? error.code : undefined}
    />
  );
}
