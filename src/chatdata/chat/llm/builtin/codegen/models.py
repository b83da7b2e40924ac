"""Code for models: linear regression (statsmodels OLS, or scikit-learn with a test split),
logistic regression and k-means clustering (scikit-learn)."""

from __future__ import annotations

from chatdata.chat.llm.builtin.codegen.common import cell, load_frame, py
from chatdata.chat.llm.builtin.plan import Plan
from chatdata.chat.llm.builtin.schema import Schema


def _design(target: str, features: list[str]) -> str:
    return f"""
# Rows complete in the target and the features; categories become 0/1 columns
model_data = data[{py([target, *features])}].dropna()
X = pd.get_dummies(model_data[{py(features)}], drop_first=True, dtype=float)
y = model_data[{py(target)}]
"""


def linear_regression_code(plan: Plan, schema: Schema) -> str:
    """OLS on all complete rows, or train/test evaluation when a split is asked for."""
    target, features = plan.columns[0], plan.columns[1:]
    test_size = plan.options.get("test_size")
    load = load_frame(schema, plan.columns, plan.filters)
    if test_size:
        return _split_regression(load, target, features, float(test_size))
    return cell(
        load,
        _design(target, features),
        f"""
import statsmodels.api as sm

model = sm.OLS(y, sm.add_constant(X)).fit()
coefficients = pd.DataFrame({{"coef": model.params, "p_value": model.pvalues}})
display(coefficients)
print(f"R² = {{model.rsquared:.4f}} (adjusted {{model.rsquared_adj:.4f}}), "
      f"n = {{int(model.nobs):,}}")
px.scatter(x=model.fittedvalues, y=y, labels={{"x": "predicted", "y": {py(target)}}},
           title="Actual vs predicted {target}").show()
""",
        f"""
result = {{
    "intent": "linear_regression",
    "target": {py(target)},
    "features": X.columns.tolist(),
    "n": int(model.nobs),
    "coefficients": {{name: float(v) for name, v in model.params.items()}},
    "p_values": {{name: float(v) for name, v in model.pvalues.items()}},
    "values": {{"r_squared": float(model.rsquared), "adj_r_squared": float(model.rsquared_adj),
               "intercept": float(model.params["const"]),
               **{{f"coef_{{name}}": float(v)
                  for name, v in model.params.items() if name != "const"}}}},
}}
""",
    )


def _split_regression(load: list[str], target: str, features: list[str], test_size: float) -> str:
    return cell(
        load,
        _design(target, features),
        f"""
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size={test_size}, random_state=42)
model = LinearRegression().fit(X_train, y_train)
predicted = model.predict(X_test)
r2 = r2_score(y_test, predicted)
rmse = mean_squared_error(y_test, predicted) ** 0.5
print(f"test R² = {{r2:.4f}}, RMSE = {{rmse:.4f}} on {{len(y_test):,}} rows")
display(pd.Series(model.coef_, index=X.columns, name="coef"))
""",
        f"""
result = {{
    "intent": "linear_regression",
    "target": {py(target)},
    "features": X.columns.tolist(),
    "n": int(len(y)),
    "test_size": {test_size},
    "coefficients": {{name: float(v) for name, v in zip(X.columns, model.coef_)}},
    "values": {{"r_squared": float(r2), "rmse": float(rmse), "intercept": float(model.intercept_),
               **{{f"coef_{{name}}": float(v) for name, v in zip(X.columns, model.coef_)}}}},
}}
""",
    )


def logistic_regression_code(plan: Plan, schema: Schema) -> str:
    """Standardised logistic regression; accuracy on all rows or on a held-out split."""
    target, features = plan.columns[0], plan.columns[1:]
    test_size = plan.options.get("test_size")
    if test_size:
        fit = f"""
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size={float(test_size)}, random_state=42
)
model.fit(X_train, y_train)
accuracy = model.score(X_test, y_test)  # on the held-out rows
"""
    else:
        fit = """
model.fit(X, y)
accuracy = model.score(X, y)  # on the rows it was fitted on
"""
    return cell(
        load_frame(schema, plan.columns, plan.filters),
        _design(target, features),
        f"""
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

y = y.astype(str)
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
{fit.strip()}
classifier = model[-1]
print(f"accuracy = {{accuracy:.4f}} over {{len(y):,}} rows, classes: {{list(classifier.classes_)}}")
""",
        f"""
result = {{
    "intent": "logistic_regression",
    "target": {py(target)},
    "features": X.columns.tolist(),
    "classes": [str(c) for c in classifier.classes_],
    "n": int(len(y)),
    "test_size": {py(test_size)},
    "values": {{"accuracy": float(accuracy)}},
}}
""",
    )


def clustering_code(plan: Plan, schema: Schema) -> str:
    """K-means on standardised columns (k chosen by silhouette when not given)."""
    columns = plan.columns
    k = plan.options.get("k")
    choose = (
        f"k = {int(k)}"
        if k
        else """# Choose k (2-8) by the silhouette score
scores = {
    k: silhouette_score(X, KMeans(n_clusters=k, n_init=10, random_state=42).fit_predict(X),
                        sample_size=sample_size, random_state=42)
    for k in range(2, 9)
}
k = max(scores, key=scores.get)"""
    )
    x_axis, y_axis = (columns + columns)[:2]
    return cell(
        load_frame(schema, columns, plan.filters),
        f"""
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

features = data[{py(columns)}].dropna()
X = StandardScaler().fit_transform(features)
sample_size = 5000 if len(X) > 5000 else None  # silhouette on a sample for big data
{choose}
model = KMeans(n_clusters=k, n_init=10, random_state=42).fit(X)
silhouette = silhouette_score(X, model.labels_, sample_size=sample_size, random_state=42)
clusters = features.assign(cluster=model.labels_)
profile = clusters.groupby("cluster").agg(["mean"]).droplevel(1, axis=1)
profile["size"] = clusters["cluster"].value_counts()
display(profile.sort_values("size", ascending=False))
px.scatter(clusters, x={py(x_axis)}, y={py(y_axis)}, color=clusters["cluster"].astype(str),
           title=f"{{k}} clusters").show()
""",
        f"""
sizes = sorted(profile["size"].astype(int).tolist(), reverse=True)
result = {{
    "intent": "clustering",
    "columns": {py(columns)},
    "k": int(k),
    "rows": int(len(features)),
    "sizes": sizes,
    "values": {{"k": int(k), "silhouette": float(silhouette), "inertia": float(model.inertia_),
               "largest_cluster": sizes[0], "smallest_cluster": sizes[-1],
               **{{f"size_{{i}}": n for i, n in enumerate(sizes, start=1)}}}},
}}
""",
    )
