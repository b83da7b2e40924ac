/** EN / 中文 switch. */
import { Segmented } from "antd";
import { useI18n } from "../i18n/context";
import type { Locale } from "../i18n/messages";

export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <Segmented<Locale>
      size="small"
      aria-label={t("common.language")}
      value={locale}
      onChange={setLocale}
      options={[
        { label: "EN", value: "en" },
        { label: "中文", value: "zh" },
      ]}
    />
  );
}
