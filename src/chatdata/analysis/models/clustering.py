"""Clustering with scikit-learn: k-means (chosen k or best k by silhouette) and DBSCAN.

Features are standardised (z-scores) unless `scale=False`; categorical features are one-hot
encoded. Above `max_rows` rows clustering runs on a seeded sample (noted), and silhouette
scores on at most `silhouette_rows` points. Labels are returned when at most 10,000 rows
were clustered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn import config_context
from sklearn.cluster import DBSCAN, KMeans
from sklearn.metrics import silhouette_score
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import StandardScaler

from chatdata.analysis import charts
from chatdata.analysis.formatting import fmt_int, fmt_num
from chatdata.analysis.models.common import notes, plot_subset
from chatdata.analysis.models.prepare import Design, MissingPolicy, prepare_design
from chatdata.analysis.result import AnalysisResult, make_table
from chatdata.errors import BadRequest

LABEL_LIMIT = 10_000
SILHOUETTE_MEMORY_MIB = 64


def _silhouette(x: np.ndarray, labels: np.ndarray, limit: int, seed: int) -> float | None:
    if len(set(labels.tolist())) < 2:
        return None
    size = min(limit, len(x))
    with config_context(working_memory=SILHOUETTE_MEMORY_MIB):
        score = silhouette_score(
            x, labels, sample_size=size if size < len(x) else None, random_state=seed
        )
    return float(score)


def _scaled(design: Design, scale: bool) -> tuple[np.ndarray, StandardScaler | None]:
    if not scale:
        return design.x, None
    scaler = StandardScaler().fit(design.x)
    return scaler.transform(design.x), scaler


def _scatter(design: Design, labels: np.ndarray, title: str, seed: int) -> dict[str, Any]:
    shown = plot_subset(len(labels), seed)
    second = design.x[shown, 1] if design.x.shape[1] > 1 else np.zeros(len(shown))
    return charts.scatter(
        design.x[shown, 0].tolist(),
        second.tolist(),
        title,
        design.names[0],
        design.names[1] if design.x.shape[1] > 1 else "",
        color=labels[shown].tolist(),
    )


def _cluster_sizes(labels: np.ndarray) -> dict[str, int]:
    values, counts = np.unique(labels, return_counts=True)
    return {str(v): int(c) for v, c in zip(values, counts, strict=True)}


@dataclass(frozen=True)
class _KMeansChoice:
    best: int
    model: KMeans
    scores: dict[int, float | None]


def _fit_kmeans(
    x: np.ndarray, candidates: list[int], seed: int, silhouette_rows: int, given: bool
) -> _KMeansChoice:
    if min(candidates) < 2 or max(candidates) >= len(x):
        raise BadRequest(f"k must be at least 2 and below the number of rows ({len(x)})")
    fits = {c: KMeans(n_clusters=c, n_init=4, random_state=seed).fit(x) for c in candidates}
    scores = {c: _silhouette(x, fit.labels_, silhouette_rows, seed) for c, fit in fits.items()}
    best = candidates[0] if given else max(candidates, key=lambda c: scores[c] or -1.0)
    return _KMeansChoice(best, fits[best], scores)


def _kmeans_figures(
    design: Design, labels: np.ndarray, choice: _KMeansChoice, seed: int
) -> list[dict[str, Any]]:
    figures = [_scatter(design, labels, f"k-means clusters (k = {choice.best})", seed)]
    if len(choice.scores) > 1:
        ks = list(choice.scores)
        figures.append(
            charts.line(
                ks,
                {"silhouette": [choice.scores[c] for c in ks]},
                "Silhouette by k",
                "k",
                "silhouette",
            )
        )
    return figures


def kmeans(
    frame: object,
    features: list[str],
    k: int | None = None,
    *,
    k_range: tuple[int, int] = (2, 8),
    scale: bool = True,
    max_rows: int = 200_000,
    silhouette_rows: int = 10_000,
    seed: int = 0,
    missing: MissingPolicy = "drop",
) -> AnalysisResult:
    """k-means with `k` clusters, or the k in `k_range` with the best silhouette score."""
    design = prepare_design(
        frame, None, features, max_rows=max_rows, seed=seed, missing=missing, drop_first=False
    )
    x, scaler = _scaled(design, scale)
    candidates = [k] if k is not None else list(range(k_range[0], k_range[1] + 1))
    choice = _fit_kmeans(x, candidates, seed, silhouette_rows, given=k is not None)
    labels = np.asarray(choice.model.labels_)
    centers = choice.model.cluster_centers_
    centers = scaler.inverse_transform(centers) if scaler is not None else centers
    sizes = _cluster_sizes(labels)
    how = (
        f"k = {choice.best} (given)"
        if k is not None
        else (f"best k = {choice.best} by silhouette over {k_range[0]}..{k_range[1]}")
    )
    summary = (
        f"k-means on {len(features)} feature(s) over {fmt_int(len(x))} rows: {how}, silhouette "
        f"{fmt_num(choice.scores[choice.best])}; cluster sizes "
        f"{', '.join(str(s) for s in sizes.values())}."
    )
    table = make_table(
        "Cluster centres",
        ["cluster", "size", *design.names],
        [[i, sizes.get(str(i), 0), *centers[i].tolist()] for i in range(choice.best)],
    )
    data = {
        "k": choice.best,
        "silhouette": choice.scores[choice.best],
        "silhouette_by_k": {str(c): v for c, v in choice.scores.items()},
        "sizes": sizes,
        "centers": centers.tolist(),
        "inertia": float(choice.model.inertia_),
        "scaled": scale,
        "labels": labels.tolist() if len(labels) <= LABEL_LIMIT else None,
        **notes(design),
    }
    return AnalysisResult(
        kind="kmeans",
        summary=summary,
        data=data,
        tables=[table],
        figures=_kmeans_figures(design, labels, choice, seed),
        sample_note=design.sample_note,
    )


def estimate_eps(x: np.ndarray, min_samples: int) -> float:
    """DBSCAN eps from the knee of the sorted distances to the `min_samples`-th neighbour."""
    distances, _ = NearestNeighbors(n_neighbors=min(min_samples, len(x))).fit(x).kneighbors(x)
    curve = np.sort(distances[:, -1])
    positions = np.arange(len(curve), dtype=float)
    start, end = np.array([0.0, curve[0]]), np.array([len(curve) - 1.0, curve[-1]])
    direction = (end - start) / (np.linalg.norm(end - start) or 1.0)
    offsets = np.column_stack([positions, curve]) - start
    gaps = np.abs(offsets[:, 0] * direction[1] - offsets[:, 1] * direction[0])
    eps = float(curve[int(np.argmax(gaps))])
    return eps if eps > 0 else float(curve[curve > 0].min(initial=1e-6))


def dbscan(
    frame: object,
    features: list[str],
    eps: float | None = None,
    *,
    min_samples: int = 5,
    scale: bool = True,
    max_rows: int = 20_000,
    silhouette_rows: int = 10_000,
    seed: int = 0,
    missing: MissingPolicy = "drop",
) -> AnalysisResult:
    """DBSCAN with `eps` (estimated from the k-distance knee when omitted); -1 labels noise."""
    design = prepare_design(
        frame, None, features, max_rows=max_rows, seed=seed, missing=missing, drop_first=False
    )
    x, _ = _scaled(design, scale)
    chosen_eps = eps if eps is not None else estimate_eps(x, min_samples)
    labels = np.asarray(DBSCAN(eps=chosen_eps, min_samples=min_samples).fit(x).labels_)
    clustered = labels >= 0
    n_clusters = len(set(labels[clustered].tolist()))
    noise = int((~clustered).sum())
    silhouette = (
        _silhouette(x[clustered], labels[clustered], silhouette_rows, seed)
        if n_clusters > 1
        else None
    )
    origin = "given" if eps is not None else "estimated from the k-distance knee"
    how = f"eps {fmt_num(chosen_eps)} ({origin})"
    summary = (
        f"DBSCAN on {len(features)} feature(s) over {fmt_int(len(x))} rows with {how}, min_samples "
        f"{min_samples}: {n_clusters} cluster(s), {fmt_int(noise)} noise point(s), silhouette "
        f"(clustered points) {fmt_num(silhouette)}."
    )
    data = {
        "eps": chosen_eps,
        "eps_estimated": eps is None,
        "min_samples": min_samples,
        "n_clusters": n_clusters,
        "noise": noise,
        "silhouette": silhouette,
        "sizes": _cluster_sizes(labels),
        "scaled": scale,
        "labels": labels.tolist() if len(labels) <= LABEL_LIMIT else None,
        **notes(design),
    }
    return AnalysisResult(
        kind="dbscan",
        summary=summary,
        data=data,
        figures=[_scatter(design, labels, "DBSCAN clusters (-1 = noise)", seed)],
        sample_note=design.sample_note,
    )
