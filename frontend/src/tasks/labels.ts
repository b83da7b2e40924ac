/** UI names of task types and statuses (server names outside the catalogue are humanised). */
import type { Translate } from "../i18n/context";
import type { MessageKey } from "../i18n/messages";
import { humanize } from "./taskStatus";

const TYPE_KEYS: Record<string, MessageKey> = {
  describe: "tasks.type.describe",
  correlation: "tasks.type.correlation",
  hypothesis_test: "tasks.type.hypothesis_test",
  regression: "tasks.type.regression",
  train_model: "tasks.type.train_model",
  clustering: "tasks.type.clustering",
  decompose: "tasks.type.decompose",
  forecast: "tasks.type.forecast",
  cleaning_pipeline: "tasks.type.cleaning_pipeline",
  render_report: "tasks.type.render_report",
  ingest: "tasks.type.ingest",
};

const STATUS_KEYS: Record<string, MessageKey> = {
  pending: "tasks.status.pending",
  running: "tasks.status.running",
  succeeded: "tasks.status.succeeded",
  failed: "tasks.status.failed",
  cancelled: "tasks.status.cancelled",
};

/** Types the platform starts (the report export, uploads), never the new-task form. */
export const PLATFORM_TYPES = new Set(["render_report", "ingest"]);

export function taskTypeLabel(t: Translate, name: string): string {
  const key = TYPE_KEYS[name];
  return key ? t(key) : humanize(name);
}

export function taskStatusLabel(t: Translate, status: string): string {
  const key = STATUS_KEYS[status];
  return key ? t(key) : status;
}

/** Names of the choices inside a task type (tests, models, methods): technical, not translated. */
const VARIANT_NAMES: Record<string, string> = {
  ttest: "t-test",
  mann_whitney: "Mann-Whitney U",
  anova: "ANOVA",
  kruskal: "Kruskal-Wallis H",
  chi_square: "Chi-square",
  normality: "Normality",
  ab_test: "A/B test",
  linear: "Linear",
  polynomial: "Polynomial",
  logistic: "Logistic",
  kmeans: "k-means",
  dbscan: "DBSCAN",
};

export function variantLabel(key: string): string {
  return VARIANT_NAMES[key] ?? humanize(key);
}
