"""Build our evaluation set: export datasets that PyPI packages bundle to `eval/tables/*.csv`
and write `eval/questions.jsonl` + `eval/labels.jsonl` (InfiAgent-DABench layout).

Labels are computed here with pandas / scipy / statsmodels / scikit-learn directly, by code
that shares nothing with the built-in analyst. Run: `python eval/build.py [--out DIR]`.
Sources: scikit-learn (`load_iris`, `load_wine`, `load_diabetes`), plotly.data (tips,
gapminder), statsmodels (co2), palmerpenguins, vega_datasets (seattle-weather, stocks);
all ship their data inside the package, so nothing is downloaded.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from questions import QUESTIONS  # noqa: E402


def export_tables(folder: Path) -> None:
    """Write every source dataset as CSV into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in source_tables().items():
        frame.to_csv(folder / name, index=False)
    import vega_datasets

    raw_stocks = Path(vega_datasets.__file__).parent / "_data" / "stocks.csv"
    shutil.copyfile(raw_stocks, folder / "stocks.csv")  # dates stay text ("Jan 1 2000")


def source_tables() -> dict[str, pd.DataFrame]:
    """The bundled datasets as DataFrames, named by their CSV file."""
    import palmerpenguins
    import plotly.express as px
    import statsmodels.api as sm
    from sklearn import datasets
    from vega_datasets import data as vega

    iris = datasets.load_iris(as_frame=True)
    iris_frame = iris.frame.drop(columns="target")
    iris_frame["species"] = [str(iris.target_names[t]) for t in iris.target]
    wine = datasets.load_wine(as_frame=True).frame.rename(columns={"target": "class"})
    diabetes = datasets.load_diabetes(as_frame=True, scaled=False).frame
    diabetes = diabetes.rename(columns={"target": "progression"})
    co2 = sm.datasets.co2.load_pandas().data.rename_axis("date").reset_index()
    co2["date"] = co2["date"].dt.strftime("%Y-%m-%d")
    weather = vega.seattle_weather()
    weather["date"] = weather["date"].dt.strftime("%Y-%m-%d")
    return {
        "penguins.csv": palmerpenguins.load_penguins(),
        "tips.csv": px.data.tips(),
        "iris.csv": iris_frame,
        "wine.csv": wine,
        "diabetes.csv": diabetes,
        "gapminder.csv": px.data.gapminder(),
        "co2.csv": co2,
        "seattle_weather.csv": weather,
    }


def build(out: Path) -> tuple[int, int]:
    """Export the tables and write questions and labels; returns (questions, sub-answers)."""
    tables = out / "tables"
    export_tables(tables)
    frames = {p.name: pd.read_csv(p) for p in sorted(tables.glob("*.csv"))}
    questions, labels = [], []
    answers = 0
    for item in QUESTIONS:
        common = item.label(frames[item.file_name].copy())
        answers += len(common)
        questions.append(
            {
                "id": item.id,
                "question": item.question,
                "constraints": item.constraints,
                "format": item.format,
                "file_name": item.file_name,
                "level": item.level,
                "concepts": item.concepts,
            }
        )
        labels.append({"id": item.id, "common_answers": common})
    _write_jsonl(out / "questions.jsonl", questions)
    _write_jsonl(out / "labels.jsonl", labels)
    return len(questions), answers


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="where to write (default eval/)")
    args = parser.parse_args()
    count, answers = build(args.out)
    print(f"{count} questions, {answers} sub-answers -> {args.out}")


if __name__ == "__main__":
    main()
