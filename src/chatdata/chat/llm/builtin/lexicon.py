"""Words the built-in analyst understands: abbreviations, synonyms, and Chinese terms.

Chinese questions are translated term by term into the English keywords the rest of the
analyst reads (the answer is still written in Chinese)."""

from __future__ import annotations

ABBREVIATIONS: dict[str, str] = {
    "qty": "quantity",
    "amt": "amount",
    "temp": "temperature",
    "precip": "precipitation",
    "exp": "expectancy",
    "pop": "population",
    "cap": "capita",
    "percap": "capita",
    "avg": "average",
    "num": "number",
    "pct": "percent",
    "yr": "year",
    "dt": "date",
    "desc": "description",
    "cnt": "count",
    "bp": "pressure",
    "max": "maximum",
    "min": "minimum",
    "bmi": "bmi",
    "gdp": "gdp",
}

SYNONYM_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"quantity", "qty", "units", "unit", "volume"}),
    frozenset({"revenue", "sales", "sale", "amount", "turnover", "income"}),
    frozenset({"price", "cost", "fare"}),
    frozenset({"sex", "gender"}),
    frozenset({"weight", "mass"}),
    frozenset({"country", "nation"}),
    frozenset({"region", "area", "zone"}),
    frozenset({"temperature", "temp"}),
    frozenset({"precipitation", "rain", "rainfall"}),
    frozenset({"customer", "client"}),
    frozenset({"product", "item"}),
    frozenset({"salary", "wage", "pay"}),
    frozenset({"tip", "gratuity"}),
    frozenset({"population", "pop"}),
    frozenset({"expectancy", "exp"}),
    frozenset({"capita", "cap", "percap"}),
    frozenset({"class", "label", "target"}),
)

UNIT_TOKENS = frozenset({"mm", "cm", "m", "g", "kg", "km", "usd", "eur", "pct", "in", "lb"})

# Words that name an operation rather than a column; they only match a column as part of
# a longer phrase ("total bill"), never alone.
FUNCTION_WORDS = frozenset(
    {
        "total", "mean", "average", "sum", "count", "number", "max", "min", "maximum",
        "minimum", "median", "std", "value", "values", "rate", "data", "type", "types",
        "of", "the", "a", "an", "by", "per", "and", "or", "to", "is", "are", "in", "on",
        "for", "each", "with", "what", "which", "how", "many", "much", "top", "show",
        "size", "group", "distribution", "trend", "time", "over", "between", "all",
        "rows", "row", "column", "columns", "dataset", "table", "percent", "percentage",
        "ratio", "share", "proportion", "missing", "unique", "distinct", "duplicate",
        "outliers", "outlier", "correlation", "chart", "plot", "histogram", "pie", "bar",
        "line", "scatter", "box", "test", "regression", "cluster", "clusters", "forecast",
        "predict", "next", "first", "last", "day", "days", "week", "month", "year",
        "it", "its", "do", "does", "than", "more", "less", "greater", "lower", "higher",
        "highest", "lowest", "most", "least", "from", "using", "at", "as", "be", "there",
    }
)  # fmt: skip

# Chinese terms -> English keywords. Longer terms are replaced first.
CHINESE_TERMS: dict[str, str] = {
    # operations and statistics
    "月均": " monthly mean ", "日均": " daily mean ", "年均": " yearly mean ",
    "平均值": " mean ", "平均数": " mean ", "均值": " mean ", "平均": " mean ",
    "总和": " total ", "总计": " total ", "合计": " total ", "求和": " total ", "总额": " total ",
    "总共": " total ", "中位数": " median ", "最大值": " max ", "最小值": " min ",
    "标准差": " std ", "方差分析": " anova ", "方差": " variance ", "众数": " mode ",
    "最高的": " highest ", "最低的": " lowest ", "最高": " highest ", "最低": " lowest ",
    "最多的": " most ", "最少的": " least ", "最多": " most ", "最少": " least ",
    "最大": " max ", "最小": " min ", "计数": " count ", "个数": " count ",
    "有多少": " how many ", "多少个": " how many ", "多少": " how many ", "几个": " how many ",
    "分组": " group ", "按照": " by ", "按": " by ", "每个": " per ", "每种": " per ",
    "每一个": " per ", "各个": " per ", "各": " per ",
    "缺失值": " missing values ", "缺失": " missing ", "空值": " missing values ",
    "填充": " fill ", "补全": " fill ", "前向填充": " forward fill ", "向前填充": " forward fill ",
    "删除": " drop ", "去除": " drop ", "去掉": " drop ", "移除": " remove ", "剔除": " remove ",
    "重复值": " duplicates ", "重复行": " duplicate rows ", "重复": " duplicate ",
    "异常值": " outliers ", "离群值": " outliers ", "离群点": " outliers ",
    "孤立森林": " isolation forest ", "四分位距": " iqr ", "四分位": " iqr ",
    "z分数": " zscore ", "Z分数": " zscore ", "盖帽": " cap ", "截断": " cap ", "缩尾": " cap ",
    "转换为": " convert to ", "转换成": " convert to ", "转为": " convert to ",
    "转成": " convert to ", "转换": " convert ", "数据类型": " type ", "类型": " type ",
    "日期时间": " datetime ", "整数": " integer ", "浮点数": " float ", "浮点": " float ",
    "小数": " float ", "字符串": " string ", "文本": " string ", "类别型": " category ",
    "分类变量": " category ", "布尔": " boolean ",
    "唯一值": " unique values ", "不同的值": " unique values ", "不同值": " unique values ",
    "去重": " unique ", "频数": " value counts ", "频率": " value counts ",
    "出现次数": " value counts ", "次数": " count ",
    "百分比": " percentage ", "占比": " percentage ", "比例": " percentage ",
    "比率": " ratio ", "之比": " ratio ",
    "相关系数": " correlation ", "相关性": " correlation ", "相关": " correlation ",
    "热力图": " heatmap ", "分布": " distribution ", "直方图": " histogram ",
    "柱状图": " bar chart ", "条形图": " bar chart ", "折线图": " line chart ",
    "散点图": " scatter plot ", "箱线图": " box plot ", "箱形图": " box plot ",
    "饼图": " pie chart ", "图表": " chart ", "画图": " plot ", "画": " plot ", "绘制": " plot ",
    "趋势": " trend ", "随时间": " over time ", "随着时间": " over time ",
    "按月": " monthly ", "每月": " monthly ", "月度": " monthly ", "逐月": " monthly ",
    "按周": " weekly ", "每周": " weekly ", "按年": " yearly ", "每年": " yearly ",
    "年度": " yearly ", "按季度": " quarterly ", "每季度": " quarterly ", "季度": " quarterly ",
    "按天": " daily ", "每天": " daily ", "每日": " daily ", "重采样": " resample ",
    "季节性分解": " seasonal decomposition ", "季节分解": " seasonal decomposition ",
    "季节性": " seasonality ", "预测": " forecast ", "未来": " next ",
    "个月": " months ", "个周期": " periods ", "期": " periods ",
    "t检验": " t-test ", "T检验": " t-test ", "t 检验": " t-test ", "T 检验": " t-test ",
    "检验": " test ", "午餐": " lunch ", "晚餐": " dinner ", "早餐": " breakfast ",
    "男性": " male ", "女性": " female ", "雄性": " male ", "雌性": " female ",
    "卡方检验": " chi-square test ",
    "卡方": " chi-square ", "正态性检验": " normality test ", "正态性": " normality ",
    "正态分布": " normal distribution ", "正态": " normal ",
    "线性回归": " linear regression ", "逻辑回归": " logistic regression ",
    "逻辑斯蒂回归": " logistic regression ", "回归": " regression ",
    "聚类": " cluster ", "聚成": " cluster into ", "簇": " clusters ", "类": " clusters ",
    "样本": " rows ", "准确率": " accuracy ",
    "概览": " overview ", "概况": " overview ", "总览": " overview ", "简介": " overview ",
    "介绍": " overview ", "描述性统计": " describe ", "统计摘要": " describe ",
    "描述统计": " describe ", "描述": " describe ", "汇总统计": " describe ",
    "大于等于": " >= ", "小于等于": " <= ", "大于": " > ", "超过": " > ", "高于": " > ",
    "小于": " < ", "低于": " < ", "少于": " < ", "等于": " = ", "不少于": " >= ",
    "至少": " >= ", "不超过": " <= ", "至多": " <= ", "前": " top ", "排名": " rank ",
    "显著": " significant ", "差异": " difference ", "关联": " association ",
    "是否": " whether ", "有没有": " is there ", "哪个": " which ", "哪些": " which ",
    "哪一个": " which ", "之间": " between ", "以及": " and ", "和": " and ", "与": " and ",
    "跟": " and ", "用": " with ", "作为": " as ", "根据": " from ", "基于": " from ",
    "特征": " features ", "目标": " target ", "行": " rows ", "列": " columns ",
    "数据集": " dataset ", "数据": " data ", "的": " ", "中": " in ", "是": " is ",
    "了": " ", "吗": " ", "呢": " ", "请": " ", "计算": " ", "一下": " ", "给出": " ",
    "显示": " show ", "找出": " find ", "统计": " ", "多": " ",
    # common column concepts
    "价格": " price ", "单价": " price ", "销量": " quantity ", "数量": " quantity ",
    "销售额": " sales revenue ", "收入": " income revenue ", "营收": " revenue ",
    "年龄": " age ", "性别": " sex ", "地区": " region ", "区域": " region ",
    "国家": " country ", "大洲": " continent ", "洲": " continent ", "大陆": " continent ",
    "人口": " population ", "预期寿命": " life expectancy ", "寿命": " life expectancy ",
    "人均GDP": " gdp per capita ", "人均gdp": " gdp per capita ",
    "小费": " tip ", "总账单": " total bill ", "账单金额": " total bill ", "账单": " total bill ",
    "消费金额": " total bill ", "用餐人数": " size ", "人数": " size ", "吸烟者": " smoker ",
    "吸烟": " smoker ", "星期几": " day ", "星期": " day ", "周几": " day ",
    "用餐时间": " time ", "餐次": " time ", "物种": " species ", "种类": " species ",
    "岛屿": " island ", "岛": " island ", "体重": " body mass ", "鳍长": " flipper length ",
    "鳍状肢长度": " flipper length ", "嘴峰长度": " bill length ", "喙长": " bill length ",
    "嘴峰深度": " bill depth ", "喙深": " bill depth ", "最高气温": " temp max ",
    "最低气温": " temp min ", "温度": " temperature ", "气温": " temperature ",
    "降水量": " precipitation ", "降雨量": " precipitation ", "降水": " precipitation ",
    "风速": " wind ", "天气": " weather ", "日期": " date ", "时间": " date ",
    "年份": " year ", "年": " year ", "酒精": " alcohol ", "花萼长度": " sepal length ",
    "花萼宽度": " sepal width ", "花瓣长度": " petal length ", "花瓣宽度": " petal width ",
    "股价": " price ", "血压": " bp ", "品种": " class ", "类别": " class ",
}  # fmt: skip

CHINESE_NUMBERS: dict[str, int] = {
    "一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
    "九": 9, "十": 10, "十二": 12,
}  # fmt: skip


def synonyms_of(word: str) -> frozenset[str]:
    """Every word in the synonym groups that contain `word` (itself included)."""
    found: set[str] = {word}
    for group in SYNONYM_GROUPS:
        if word in group:
            found |= group
    return frozenset(found)
