/** The i18n context object and its hook (kept apart from the provider component). */
import { createContext, useContext } from "react";
import { translate, type Locale, type MessageKey } from "./messages";

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
}

export const I18nContext = createContext<I18n>({
  locale: "en",
  setLocale: () => undefined,
  t: (key, vars) => translate("en", key, vars),
});

export function useI18n(): I18n {
  return useContext(I18nContext);
}
