import { describe, expect, it } from "vitest";
import { detectLocale, en, translate, zh } from "./messages";

describe("i18n", () => {
  it("picks a stored choice first, then the first known browser language", () => {
    expect(detectLocale(["zh-CN", "en"], "en")).toBe("en");
    expect(detectLocale(["fr-FR", "zh-Hans-CN", "en"], null)).toBe("zh");
    expect(detectLocale(["en-GB", "zh-CN"], null)).toBe("en");
    expect(detectLocale(["de"], "klingon")).toBe("en");
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(translate("en", "chat.tableRows", { shown: 10, total: 250 })).toBe("10 of 250 rows");
    expect(translate("zh", "chat.tableRows", { shown: 10, total: 250 })).toBe("显示 10 行，共 250 行");
    expect(translate("en", "dataset.deleteConfirm")).toBe("Delete “{name}”?");
  });

  it("has a Chinese text for every key, with the same placeholders", () => {
    const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(zh[key].length, key).toBeGreaterThan(0);
      expect(placeholders(zh[key]), key).toEqual(placeholders(en[key]));
    }
  });
});
