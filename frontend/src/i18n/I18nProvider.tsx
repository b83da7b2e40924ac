/** The locale context: `useI18n()` gives `t`, the locale and a setter; antd and dayjs follow it. */
import { ConfigProvider } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { I18nContext, type I18n } from "./context";
import { detectLocale, translate, type Locale, type MessageKey } from "./messages";

const STORAGE_KEY = "chatdata.locale";

function storedLocale(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() =>
    detectLocale(navigator.languages ?? [navigator.language], storedLocale()),
  );

  useEffect(() => {
    dayjs.locale(locale === "zh" ? "zh-cn" : "en");
    document.documentElement.lang = locale === "zh" ? "zh-CN" : "en";
  }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // storage unavailable: the choice lasts for this page only
    }
    setLocaleState(next);
  }, []);

  const value = useMemo<I18n>(
    () => ({
      locale,
      setLocale,
      t: (key: MessageKey, vars?: Record<string, string | number>) => translate(locale, key, vars),
    }),
    [locale, setLocale],
  );

  return (
    <I18nContext.Provider value={value}>
      <ConfigProvider locale={locale === "zh" ? zhCN : enUS} theme={{ token: { borderRadius: 6 } }}>
        {children}
      </ConfigProvider>
    </I18nContext.Provider>
  );
}
