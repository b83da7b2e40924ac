"""The static check refuses clear misuse with guidance and lets analysis code through."""

from __future__ import annotations

import pytest

from chatdata.sandbox import CodeRejected, check_code
from chatdata.sandbox.static_check import find_misuse

REFUSED = [
    ("import subprocess\nsubprocess.run(['ls'])", "no external programs"),
    ("from subprocess import Popen", "no external programs"),
    ("import socket\nsocket.socket()", "no network access"),
    ("import urllib.request as u\nu.urlopen('http://example.com')", "no network access"),
    ("import requests", "no network access"),
    ("import ctypes\nctypes.CDLL(None).system(b'id')", "native code"),
    ("import os\nos.system('ls')", "no external programs"),
    ("import os as o\no.popen('ls').read()", "no external programs"),
    ("import os\nos.execv('/bin/sh', ['sh'])", "no external programs"),
    ("import os\npid = os.fork()", "no external programs"),
    ("import os\nos.kill(1, 9)", "no external programs"),
    ("from os import system\nsystem('id')", "no external programs"),
    ("import asyncio\nasyncio.create_subprocess_shell('id')", "no external programs"),
    ("().__class__.__base__.__subclasses__()", "interpreter internals"),
    ("f = lambda: 0\nf.__globals__['x'] = 1", "interpreter internals"),
    ("__builtins__['eval']('1')", "interpreter internals"),
    ("__import__('os')", "interpreter internals"),
    ("import importlib\nimportlib.import_module('subprocess')", "no external programs"),
    ("import importlib\nname = 'so' + 'cket'\nimportlib.import_module(name)", "dynamic imports"),
    ("getattr(os, 'system')('id')", "no external programs"),
    ("getattr(object, '__subclasses__')()", "interpreter internals"),
    ("open('/etc/passwd', 'w').write('x')", "only /work is writable"),
    ("open('/data/sales.parquet', mode='ab')", "only /work is writable"),
    ("with open('/usr/lib/x', 'a+') as f:\n    pass", "only /work is writable"),
    ("df.to_csv('/data/clean.csv')", "only /work is writable"),
    ("from pathlib import Path\nPath('/etc/cron.d/x').write_text('x')", "only /work is writable"),
    ("p = '/srv/out.parquet'\ndf.to_parquet(p)", "only /work is writable"),
    ("import shutil\nshutil.copy('/work/a', '/usr/local/a')", "only /work is writable"),
    ("import os\nos.remove('/data/sales.parquet')", "only /work is writable"),
    ("open('/work/../etc/x', 'w')", "only /work is writable"),
    ("pd.read_csv('https://example.com/x.csv')", "no network access"),
    ("pl.read_parquet('s3://bucket/x.parquet')", "no network access"),
    ('con.sql("INSTALL httpfs; LOAD httpfs")', "no network access"),
    ("con.sql(\"SELECT * FROM read_csv('http://10.0.0.1/x.csv')\")", "no network access"),
    ("con.execute(\"COPY data TO '/etc/x.csv'\")", "only /work is writable"),
    ("eval(\"__import__('os').system('id')\")", "interpreter internals"),
    ("exec('import socket')", "no network access"),
    ("!ls /", "no external programs"),
    ("%%bash\nls /", "no external programs"),
    ("files = !ls", "no external programs"),
]

ALLOWED = [
    "df.head()",
    "df.describe(include='all')",
    "df.groupby('region')['amount'].agg(['sum', 'mean', 'count']).sort_values('sum')",
    "pivot = df.pivot_table(index='region', columns='year', values='amount', aggfunc='sum')",
    "df['month'] = pd.to_datetime(df['date']).dt.to_period('M')\ndf.month.value_counts()",
    "con.sql('SELECT region, SUM(amount) AS total FROM data GROUP BY 1 ORDER BY 2 DESC').df()",
    "con.execute(\"COPY (SELECT * FROM data) TO '/work/out/all.parquet' (FORMAT parquet)\")",
    "lf.group_by('region').agg(pl.col('amount').sum()).sort('region').collect()",
    "pl.scan_parquet('/data/sales.parquet').filter(pl.col('amount') > 10).collect()",
    "pd.read_parquet('/data/sales.parquet', columns=['region'])",
    "with open('/data/sales.parquet', 'rb') as handle:\n    magic = handle.read(4)",
    "import os\nos.listdir('/data')\nos.path.getsize('/data/sales.parquet')",
    "import os\nos.makedirs('/work/out', exist_ok=True)\ndf.to_csv('/work/out/summary.csv')",
    "df.to_excel('out/summary.xlsx')",
    "open('notes.txt', 'w').write('done')",
    "with open('/work/out/report.md', 'w') as f:\n    f.write('# Report')",
    "from pathlib import Path\nPath('/work/out/charts').mkdir(parents=True, exist_ok=True)",
    "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.bar(['a', 'b'], [1, 2])\n"
    "fig.savefig('/work/out/bar.png')",
    "plt.figure(figsize=(8, 4))\ndf['amount'].hist(bins=30)\nplt.title('Amount (source: https://x.org)')",
    "fig = px.scatter(df, x='units', y='amount', color='region')\nfig.write_html('out/s.html')",
    "go.Figure(go.Bar(x=[1, 2], y=[3, 4]))",
    "from sklearn.linear_model import LinearRegression\n"
    "model = LinearRegression().fit(df[['units']], df['amount'])\nmodel.coef_",
    "from sklearn.model_selection import train_test_split\n"
    "from sklearn.ensemble import RandomForestClassifier\n"
    "X_train, X_test = train_test_split(df, test_size=0.2, random_state=0)",
    "import statsmodels.formula.api as smf\nsmf.ols('amount ~ units', data=df).fit().summary()",
    "from scipy import stats\n"
    "stats.ttest_ind(df.amount[df.region == 'a'], df.amount[df.region == 'b'])",
    "import numpy as np\nnp.percentile(df['amount'].dropna(), [5, 50, 95])",
    "import json, datetime, math, re, collections, itertools\njson.dumps({'n': len(df)})",
    "import platform, sys\nplatform.system(), sys.version",
    "import os\nos.environ.get('HOME')",
    "class Summary:\n    def __init__(self, frame):\n        self.frame = frame\n"
    "    def __repr__(self):\n        return f'{type(self).__name__}({len(self.frame)})'",
    "if __name__ == '__main__':\n    print(df.shape)",
    "result = eval('1 + 2')",
    "getattr(df, 'amount').sum()",
    "import importlib\nimportlib.reload(pd)",
    "%timeit df.amount.sum()",
    "url = 'https://example.com/docs'\nprint(f'see {url}')",
    "df.query('amount > 10 and region == \"north\"')",
    "import pickle\npickle.dump(df, open('/work/model.pkl', 'wb'))",
    "import duckdb\nduckdb.sql('SELECT 42').fetchall()",
    "import tempfile\nwith tempfile.NamedTemporaryFile('w', dir='/tmp') as f:\n    f.write('x')",
    "x = 1 +",
]


@pytest.mark.parametrize(("code", "guidance"), REFUSED)
def test_refuses_clear_misuse_with_guidance(code: str, guidance: str) -> None:
    with pytest.raises(CodeRejected) as caught:
        check_code(code)
    assert guidance in caught.value.message
    assert caught.value.message.startswith("This code was not run. line ")
    assert caught.value.status_code == 400
    assert caught.value.code == "code_rejected"


@pytest.mark.parametrize("code", ALLOWED)
def test_lets_ordinary_analysis_code_through(code: str) -> None:
    check_code(code)


def test_findings_carry_line_numbers_in_order() -> None:
    code = "x = 1\nimport socket\ny = 2\nimport os\nos.system('id')\n"
    findings = find_misuse(code)
    assert [finding.line for finding in findings] == [2, 5]
    with pytest.raises(CodeRejected) as caught:
        check_code(code)
    assert caught.value.details["findings"][0]["line"] == 2
