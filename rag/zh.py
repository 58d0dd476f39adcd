"""Chinese text rules in one place: question words, clause breaks, plan/result wording, place
names, the leaf of a section path. Every module that reads Chinese questions or report text
takes its rules from here, so a rule is changed once.
"""
from __future__ import annotations

import functools
import re

from .normalize import FOOTNOTE, fold

# ---- report text ----------------------------------------------------------------------------

CLAUSE_BREAK = re.compile(r"[,，;；:：]")
SENTENCE_END = "。！？!?"
# Words that open a clause without adding content ("同时，…", "此外…").
LEADING_CONNECTIVE = re.compile(r"^(?:同时|此外|其中|另外|并且|并|且|以及|还)[,，]?")


def section_leaf(section: str) -> str:
    """The innermost heading of a section path 'A > B > C'."""
    return section.rsplit(" > ", 1)[-1]


def strip_footnotes(text: str) -> str:
    return FOOTNOTE.sub("", text)


def clean_quote(text: str) -> str:
    """A quote trimmed for the answer text (the citation keeps the exact quote)."""
    return LEADING_CONNECTIVE.sub("", strip_footnotes(text)).strip(" ，,。；;:：")


def is_chinese(text: str) -> bool:
    """At least a third of the letters are Chinese characters."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum("\u3400" <= ch <= "\u9fff" for ch in letters) * 3 >= len(letters)


def content_chars(text: str) -> str:
    return "".join(ch for ch in fold(strip_footnotes(text)) if ch.isalnum())


# ---- questions ------------------------------------------------------------------------------

QUESTION_WORD = re.compile(r"多少|几|哪|谁|什么|何|是否|怎样|如何|怎么|有没有|是不是|吗")
NUMBER_QUESTION = re.compile(r"多少|几|比例|比重|占比|增长|增幅|下降|提高|提升|多大|多高|多长|多远|多久|规模|总量|金额|数量|率")
WH_QUESTION = re.compile(r"哪|谁|什么|何")
# Phrases of a question that say what is asked, not what it is about; removed to find its topic.
# After a measure word asked for ('多少人'): 口员才民… make it the start of a noun ('多少人口' keeps 人口).
NOT_A_UNIT = "(?![口员才民群均籍庭])"
# The words that ask yes or no, standing before what they ask of ('是不是排第一', '有没有提到').
YES_NO_WORDS = r"是否|有没有|是不是|有无|提没提"
QUESTION_PHRASES = re.compile(
    r"请问|告诉我|一下|"
    # how the report reads a matter ('报告自己是怎么分析原因的', '给了哪些理由'): asking words of a why- or
    # how-question, no topic (before 怎么 below, which would leave 分析 behind)
    r"(?:是)?(?:怎么|如何|怎样)(?:分析|解释|总结|评价|看待|说明|讲)(?:的)?(?:原因|理由)?|(?:给|列|举|讲)了?(?:哪些|什么)(?:理由|原因|依据)|"
    r"(政府)?(工作)?报告(里|中)?(说|提到|显示|提出)?的?|"
    # a span's two ends asked ('从多少涨到多少'): the 从 goes with the number asked
    r"从(?:多少|几)(?:万亿|亿|万)?|"
    r"有哪些|哪些|有什么|什么样的?|干什么用|做什么用|什么时候|什么|哪一?年|哪一?天|哪个|哪里|哪儿|何时|何地|多久|多长时间|多大|多高|多远|"
    r"(?:多少|几)个(?:百分)?点|[哪几两]一?[个位项种家所座条名年]|(多少|几)(万亿|亿|万|千(?!瓦)|百)?(个百分点|平方公里|平方米|公里|公顷|人次|场次|"
    r"千瓦时|万千瓦|千瓦|立方米|个点|成(?![\u4e00-\u9fff])|"  # ('几成': tenths; '几个点': percentage points)
    r"[钱米吨亩人户个家元度项所张场名条座天倍次批类栋套辆台件部只头处间床支岁斤])?" + NOT_A_UNIT + r"|百分之(?:多少|几)|多少钱|怎么样|怎样|怎么|如何|为什么|为何|"
    + YES_NO_WORDS + r"|了没有|没有(?=[？?]?$)|吗|呢|分别|各自|一共|总共|合计|加起来|(是)?为了|这些|那些|这样|那样|"
    r"(?:倒推|反推|往回推|推算|折算|换算)(?:成|为)?|听说|据说|有人说|帮我|给我|帮忙|麻烦|"
    # what a why-question asks for: '能起什么作用', '起到了什么效果', '有哪些数据支撑', '依据是什么'
    r"(?:能|会|可以)?起(?:到)?了?(?:什么|哪些|啥)(?:样的)?(?:作用|效果)|(?:有)?(?:哪些|什么)?(?:数据|依据|证据)(?:来)?(?:支撑|支持)|"
    r"(?:依据|根据|理由)是什么|有何依据|图的是什么|"
    # a summary asked for ('简单总结下', '用几句话概括一下', '帮我捋一捋'): how to answer, no topic
    r"(?:简单|简要|大致|大概|扼要)?地?(?:总结|概括|概述|归纳|梳理|捋一捋|捋捋)(?:一下|下)?|用(?:几|一两|两三)句话|"
    # a rank asked ('在重点区县里排第几')
    r"(?:排名?|位列|位居|居|列)?第几(?:名|位)?|"
    # the frame of a how-question: '是通过哪些办法实现的' asks for the means, it names no topic
    r"(是)?(通过|靠|用|采取)(了)?(哪些|什么)?(办法|方式|方法|手段|途径|措施|举措)?(来)?(实现|做到|达到|完成)(的)?")
# Single words of a question that carry no topic (removed as whole jieba words, never inside one).
QUESTION_FILLER_WORDS = frozenset("请 是 有 了 的 和 与 及 在 对 为 把 被 得 地 着 过 要 会 能 需要 都 也 就 还 又 再 "
                                  "情况 方面 成效 效果 进展 成绩 成果 亮点 举措 措施 工作 取得 做 做了 采取 开展 主要 具体 相关 "
                                  "这 那 这个 那个 这是 那是 其 它 它们 他们 我们 大约 大概 约".split())
# Acronyms the reports spell out ('GDP' is '国内生产总值' in every work report).
ACRONYMS = {"GDP": "国内生产总值", "CPI": "居民消费价格", "PPI": "工业生产者出厂价格", "PMI": "采购经理指数",
            "M2": "广义货币", "R&D": "研发"}


# Everyday words and the reports' own terms for them: a question's word is present where its term is.
# English words of work-report questions and the reports' Chinese terms for them (CC-CEDICT gives
# 'job' -> 工作 and nothing for 'urban', where the reports say 就业 and 城镇): stems as Snowball gives them.
# Places an English question may name, and their Chinese names (the province-level divisions, a few
# cities and countries the reports compare with); Chongqing is left out, the bundled report's province.
ENGLISH_PLACES = {"Beijing": "北京", "Tianjin": "天津", "Shanghai": "上海", "Hebei": "河北", "Shanxi": "山西",
                  "Liaoning": "辽宁", "Jilin": "吉林", "Heilongjiang": "黑龙江", "Jiangsu": "江苏", "Zhejiang": "浙江",
                  "Anhui": "安徽", "Fujian": "福建", "Jiangxi": "江西", "Shandong": "山东", "Henan": "河南", "Hubei": "湖北",
                  "Hunan": "湖南", "Guangdong": "广东", "Hainan": "海南", "Sichuan": "四川", "Guizhou": "贵州",
                  "Yunnan": "云南", "Shaanxi": "陕西", "Gansu": "甘肃", "Qinghai": "青海", "Taiwan": "台湾",
                  "Inner Mongolia": "内蒙古", "Guangxi": "广西", "Tibet": "西藏", "Ningxia": "宁夏", "Xinjiang": "新疆",
                  "Hong Kong": "香港", "Macau": "澳门", "Macao": "澳门", "Shenzhen": "深圳", "Guangzhou": "广州",
                  "United States": "美国", "America": "美国", "Japan": "日本", "Britain": "英国", "Germany": "德国",
                  "France": "法国", "Russia": "俄罗斯", "India": "印度", "Korea": "韩国"}
ENGLISH_TERMS = {"urban": ("城镇", "城市"), "job": ("就业",), "employ": ("就业",), "unemploy": ("失业",),
                 "unemploy rate": ("失业率",), "grain": ("粮食",), "output": ("产量", "生产"), "forest": ("森林",),
                 "coverag": ("覆盖率",), "deficit": ("赤字",), "bond": ("债券",), "green space": ("绿地",),
                 "park space": ("停车位",), "fit": ("健身",), "event": ("赛事", "活动"), "enterpris": ("企业",),
                 "market entiti": ("市场主体",), "regist": ("登记",), "renov": ("改造",), "residenti compound": ("老旧小区",),
                 "compound": ("小区",), "hospit": ("医院",), "school": ("学校",), "nurseri": ("托育",),
                 # the reports' terms as their official English versions say them
                 "high-tech": ("高新技术", "高技术"), "cultiv": ("培育",), "benefit": ("受益", "惠及"),
                 "water conserv": ("水利",), "foreign exchang reserv": ("外汇储备",), "consum price": ("居民消费价格",),
                 "fiscal revenu": ("财政收入",), "poverti": ("贫困", "脱贫"), "rural poor": ("农村贫困人口",),
                 "treasuri bond": ("国债",), "tourism": ("旅游",), "tourist": ("游客",), "visitor": ("游客",),
                 "inflat": ("居民消费价格", "物价"), "survey unemploy rate": ("调查失业率",),
                 "regist unemploy rate": ("登记失业率",), "import and export": ("进出口",), "foreign trade": ("进出口", "对外贸易"),
                 "china": ("我国", "全国", "中国"), "produc": ("产量", "生产"), "deficit ratio": ("赤字率",),
                 "deficit-to-gdp ratio": ("赤字率",), "growth": ("增长",), "grew": ("增长",), "target": ("目标", "指标")}
REPORT_TERMS = {"物价": ("居民消费价格", "价格"), "经济增速": ("国内生产总值增长", "经济增长"), "经济增长": ("国内生产总值增长", "国民生产总值增长"), "经济涨": ("国内生产总值增长",),
                "外资": ("外商",), "高铁": ("高速铁路",), "失业率": ("调查失业率", "登记失业率"),
                # Everyday words and the reports' terms for the same thing (issue #16: a user says 城里,
                # the report 城市): general vocabulary of work reports, not phrases of one question.
                "城里": ("城市", "城区", "城镇"), "城区": ("城市",), "病人": ("就医", "患者"), "看病": ("就医", "医疗"),
                "钱": ("资金", "元"), "经费": ("资金",), "通车": ("建成投用", "通车"), "投用": ("建成投用", "投入使用"),
                "注册": ("登记",), "收成": ("产量", "生产"), "涨": ("增长", "提高", "上涨"), "涨幅": ("增长",),
                "违建": ("违法建筑",), "派出": ("选派",), "派": ("选派",), "第一个": ("首个", "率先", "首"),
                "上学": ("就读", "学生", "在园", "在校"), "读书": ("就读", "学生"), "老人": ("老年", "养老"), "小孩": ("婴幼儿", "幼儿"),
                "孩子": ("婴幼儿", "幼儿", "学生"), "盖": ("建成",), "修": ("建成", "修复", "改造"), "搞": ("实施", "开展"),
                "外地": ("区外", "外来"), "闲置": ("存量", "低效"), "拆": ("治理", "拆除"), "治污": ("污染防治", "治理"),
                "群众": ("人口", "居民", "群众"), "发电量": ("发电",), "比赛": ("赛事", "竞技比赛"), "运动会": ("赛事",),
                "医保": ("医疗保险",), "娃娃": ("婴幼儿", "幼儿", "儿童"), "整治": ("治理", "整治"), "河流": ("河道", "河流"),
                "山林": ("森林", "林地", "营造林"), "产权证": ("不动产权", "交证", "不动产证"), "房产证": ("不动产权", "交证"),
                "县里": ("区(县)", "区县", "县"), "个税": ("个人所得税",), "第三产业": ("服务业", "第三产业"), "单位国内生产总值能耗": ("能耗强度", "能源消耗强度"), "公司": ("企业", "市场主体"), "新开": ("新增", "新登记", "新设"),
                "牌子": ("获评", "称号", "示范"), "日子": ("生活", "收入"), "闲钱": ("存量资金", "闲置资金", "低效无效资金"),
                "提速": ("加快",), "种树": ("营造林", "造林"), "植树": ("营造林", "造林"), "树林": ("营造林", "森林"), "粮食收成": ("粮食产量",),
                "农民工": ("农民工",), "就业岗位": ("就业",), "找工作": ("就业",), "工作岗位": ("就业",),
                "污水": ("雨污", "污水"), "公园": ("口袋公园", "公园"), "停车场": ("停车位",), "车位": ("停车位",),
                "幼儿园": ("公办园", "幼儿园"), "贷款": ("贷款",), "补贴": ("补助", "救助"), "救济": ("救助",),
                "困难户": ("困难群众",), "穷人": ("困难群众", "脱贫人口", "贫困人口"), "贫困户": ("脱贫人口",), "企业数": ("企业",),
                # honours: the reports say 获评 / 荣获 / 入选 (… 示范区, … 称号)
                "荣誉": ("获评", "荣获", "入选", "称号"), "荣誉称号": ("获评", "荣获", "称号"), "奖项": ("获评", "荣获", "奖"),
                "表彰": ("获评", "表彰"), "获得": ("获评", "荣获", "入选", "获得"), "人口": ("常住人口", "户籍人口", "人口"),
                "老百姓": ("群众", "居民", "人民", "全民"), "股市": ("资本市场", "股票"), "税负": ("税费", "减税", "负担"),
                "还债": ("偿债",), "借钱": ("融资", "贷款"),
                "拿到": ("获", "取得"), "拿了": ("获", "取得"), "得到": ("获", "取得"), "评上": ("获评", "入选"),
                "建好": ("建成", "完工"), "修好": ("建成", "完工"), "开通": ("通车", "建成投用", "开通"),
                # everyday short names of the national reports' terms
                "楼市": ("房地产市场", "房地产"), "通胀": ("通货膨胀",), "自贸区": ("自由贸易试验区", "自由贸易区"),
                "城里人": ("城镇居民",), "厕所": ("户厕", "改厕", "厕所"), "外贸": ("进出口", "对外贸易"),
                "增速": ("增长率", "增长"), "对外贸易": ("进出口", "外贸"), "拿下": ("获批", "获评", "取得"),
                "位列": ("居", "位居"), "位居": ("居", "位列"), "推行": ("实施", "推进", "推广", "建立"),
                "全世界": ("全球", "世界"), "经济总量": ("国内生产总值",), "居首位": ("第一", "首位"), "首位": ("第一",), "新冠": ("疫情", "疫苗", "新冠"),
                "林子": ("森林", "林"), "私家车": ("家用汽车",), "托儿所": ("托育机构", "托育"), "中专": ("中职",),
                "农村": ("乡村", "农村"), "新修": ("新建", "新修"), "改好": ("改造", "提升"),
                "涨价": ("价格", "物价", "上涨"), "卖出去": ("销售", "销量", "零售"), "卖了": ("销售", "销量", "零售"),
                "缓交": ("缓税", "缓缴", "缓费"), "用上": ("使用", "投用", "建成投用"),
                # what a budget takes in and pays out, as people say it ('财政进账', '花的钱')
                "财政赤字": ("赤字",), "财政赤字率": ("赤字率",),  # (a deficit in a work report is the budget's)
                "进账": ("收入",), "入账": ("收入",), "开销": ("支出",), "花销": ("支出",)}


# The year before one named ('那前一年呢' after a question about 2018; '2015年报告说上一年…').
YEAR_BEFORE = re.compile(r"(?:往前推|往前|再往前)一年|再?早一年|前一年|上一年|头一年")

# Verbs that state the same outcome in reports (a yes/no question's predicate said another way:
# '列入名录' asked, '入选名录' said). Only outcomes the reports use interchangeably; a stage short of
# the outcome (导流洞贯通, 开工) is in no group.
SAME_PREDICATE = (frozenset("列入 入选 纳入 列为 作为 获批 获评 评为 认定为 入围 列进 放进 当作 当成 被评 评上 被评为 收录".split()),
                  frozenset("建成 建成投用 竣工 投用 投入使用 投运 建好 修好 建完 修完 用上 启用 开始用 投入运营".split()),  # not 完工: '主体完工' is a stage
                  # (and the everyday words for it: '城市更新弄完没')
                  frozenset("完成 实现 达到 达成 做到 超额完成 弄完 搞完 干完 做完 搞定".split()),
                  frozenset("获得 获 荣获 取得 拿到 拿了 赢得".split()),
                  # a level passed ('人均国内生产总值突破1000美元' asked '迈过了什么关口')
                  frozenset("突破 迈过 跨过 越过 迈上 跃上 站上 跨越".split()))


# The words that ask only whether a thing was done ('并网发电是否已经完成').
DONE_WORDS = SAME_PREDICATE[2]

# Stages short of an outcome, said of a project still under way ('金洞风电场等项目加速推进',
# '康养科技大楼封顶'): a clause saying one of them of its subject says the outcome asked has not come yet.
IN_PROGRESS = re.compile(r"加速推进|加快推进|有序推进|稳步推进|积极推进|加快建设|开工建设|前期工作|开工|封顶|筹建|在建|"
                         r"正在建设|加紧建设|启动建设|试运行|推进")
# A question about an outcome that has come: '并网了没有', '投入使用了吗', '是否已经建成' (the last
# match is the aspect of the predicate asked).
ASKS_COMPLETED = re.compile(r"了(?:吗|么|没有|没|嘛)|已经|已|(?<=[完好成])没有?(?=[？?]?$)")  # ('弄完没？')


def same_predicate(term: str) -> frozenset[str]:
    """The verbs that say ``term`` in reports (``SAME_PREDICATE``), itself included."""
    return next((group for group in SAME_PREDICATE if term in group), frozenset((term,)))


def named_by_report_term(term: str, question: str, text: str) -> bool:
    """The word is part of an everyday name of the question ('经济' of 经济增速) that the text
    says in the reports' own words (国内生产总值增长, also with words between: '国内生产总值比上年
    增长'): ``REPORT_TERMS``."""
    return any(term in word and any(alias in text or _words_said(alias, text) for alias in aliases)
               for word, aliases in REPORT_TERMS.items() if len(word) > 2 and word in question)


def _words_said(phrase: str, text: str) -> bool:
    import rjieba

    words = [w for w in rjieba.cut(phrase) if len(w) >= 2]
    return len(words) >= 2 and all(w in text for w in words)


def report_terms_of(text: str) -> list[str]:
    """The reports' own terms for the text's everyday words ('物价' -> '居民消费价格'), the first of each."""
    return [alias for word, aliases in REPORT_TERMS.items() if word in text for alias in aliases[:1]]


def with_report_terms(text: str) -> str:
    """The text followed by the reports' own terms for its everyday words (for matching, not display)."""
    extra = report_terms_of(text)
    return text + (" " + " ".join(extra) if extra else "")


def expand_acronyms(text: str) -> str:
    for acronym, words in ACRONYMS.items():
        text = re.sub(rf"(?<![A-Za-z]){re.escape(acronym)}(?![A-Za-z])", words, text, flags=re.I) \
            if is_chinese(text) else text
    return text


# Spoken question words and their written forms, so that a question's kind and topic are read
# the same however it is asked ('2018年经济运行咋样啊' is '…怎么样', a summary; '为啥' is '为什么').
# Standard Mandarin equivalents (《现代汉语词典》 marks the left ones 〈方〉 or 〈口〉).
_SPOKEN = [("咋样", "怎么样"), ("咋办", "怎么办"), ("咋", "怎么"), ("为啥", "为什么"), ("干啥", "做什么"),
           ("干嘛", "做什么"), ("[干做办]成?了(?:些|点)(?:啥|什么)", "做了哪些"), ("干吗", "做什么"), ("啥", "什么"), ("怎么着", "怎么样"), ("多会儿", "什么时候"),
           ("(?:打|收|产)了?多少(?:斤)?粮(?!食)", "粮食产量多少"),  # ('94年全国打了多少粮')
           (r"连着(?=\d|[几一二两三四五六七八九十])", "连续"),  # ('连着几年拿第一')
           (r"(?<=[\d十百千万亿两二三四五六七八九])块钱?", "元"),  # ('一个月100块': 元; not 一块儿, together)
           ("多大(?:的)?(?:地方|地盘|一块地?)", "多大面积"),  # ('一共多大地方': an area)
           # (a championship's winner takes its gold medal: the reports say 金牌, 银牌)
           ("夺冠|夺金|夺得冠军|拿了?冠军|获得?了?冠军|得了?冠军", "获得金牌"),
           ("了没[有]?(?=[？?。！!]*$)", "了吗"), ("没[？?]?$", "吗"), ("(?:到没到|达没达到|有没有到)", "是否达到"),
           # '哪几座水库', '哪几家帮扶': which ones, a list
           ("哪几(?:座|家|件|个|项|类|种|条|所|位|名|方面|块|批|处|样)?(?![年天月号次])", "哪些"),
           # '三大攻坚战分别是哪三个', '哪两项': which ones, counted
           ("哪[两二三四五六七八九十](?:个|项|件|类|种|条|大|方面|样)(?![“\"])", "哪些")]  # ('哪四个“业”' asks a named group's members)
_PARTICLES = re.compile(r"(?<=[\u4e00-\u9fff\d%％])[啊呀呢嘛哇哈啦](?=[？?。！!，,]|$)")


# What the report says, asked about the report ('2024年政府工作报告提出的主要预期目标有哪些',
# '报告有没有说要发育儿补贴', '…是否提到了'): the asking, not the topic.
REPORT_SAYS = re.compile(r"(?:政府工作)?报告(?:里|中|上)?(?:有没有|是否|是不是|有无)?(?:提出|提到|提及|说|讲|写|指出|强调|明确|点名)"
                         r"(?:的|了|过|到)?(?:要)?|(?:是否|有没有)?(?:提到|提及|说到|讲到)(?:了|过)?(?=[吗？?]*$)")


# How to give the answer, not what is asked: '（保留一位小数）'.
_INSTRUCTION = re.compile(r"[（(][^（）()]*(?:保留|精确|四舍五入|取整|小数)[^（）()]*[)）]")


# 'A没A' asks whether ('过没过7.5%', '完没完成'); '过' of a bound is 超过. ('有没有' stays: it is read as written.)
_A_NOT_A = [(re.compile(r"(?:过没过|超没超过?)(?=[^，,。？?]*\d)"), "是否超过"),  # (a bound: '过没过7.5%')
            (re.compile("到没到|达没达到"), "是否达到"),
            (re.compile(r"(?!有)([\u4e00-\u9fff])没\1"), r"是否\1")]


def whether_form(question: str) -> str:
    """'2014年GDP涨幅过没过7.5%' -> '2014年GDP涨幅是否超过7.5%': the spoken A-not-A question in its written form."""
    for pattern, written in _A_NOT_A:
        question = pattern.sub(written, question)
    return question


# '与2021年相比，2022年城镇新增就业减少了多少': the comparison framed first, in the order 比 says it
# (also '相较2014年，2015年…', '较2008年，2009年…')
_FRAMED_COMPARISON = re.compile(r"(?:(?:与|和|跟|同)\s*(?=(?:19|20)\d{2}\s*年\s*(?:相比|比较|相较))|(?:相较于?|较之?|相比于?)\s*)"
                                r"((?:19|20)\d{2}\s*年)\s*(?:相比|比较|相较)?[，,]?\s*"
                                r"((?:19|20)\d{2}\s*年)([^，,。？?]*?)(?=增加|增长|提高|提升|减少|下降|降低|多|少|高|低)")


# A question that states its year or place after it ('…相差多少人？2024年。', '…多少？指1958年。', '…？黔江，去年。').
_TRAILING_CONTEXT = re.compile(r"^(?P<main>.+?[？?])\s*(?P<tail>[^？?。！!]{1,16}?)[。.！!]?\s*$")
_CONTEXT_LEAD = re.compile(r"^(?:这里|此处)?(?:指的?是?|问的是|说的是|即|针对|依据)")
_COMPARED_FIRST = re.compile(r"^(?:(?:与|和|跟|同)\s*(?:19|20)\d{2}\s*年\s*(?:相比|比较|相较)|(?:相较于?|较之?|相比于?)\s*(?:19|20)\d{2}\s*年)[，,]?")


def context_first(question: str) -> str:
    """'与2023年相比，城镇新增就业增加了多少？2024年。' -> '与2023年相比，2024年城镇新增就业增加了多少？': a
    year or place stated after the question is read where it belongs, before what it qualifies."""
    match = _TRAILING_CONTEXT.match(question.strip())
    if not match or QUESTION_WORD.search(match["tail"]) or not re.search(r"(?:19|20)\d{2}\s*年|去年|今年|上年", match["tail"]):
        return question
    tail = _CONTEXT_LEAD.sub("", match["tail"].strip()).strip("，,、 的")
    main = match["main"]
    frame = _COMPARED_FIRST.match(main)
    if frame:
        return main[:frame.end()] + tail + main[frame.end():]
    return f"{tail}{main}"


def comparison_form(question: str) -> str:
    """'与2021年相比，2022年城镇新增就业减少了多少' -> '2022年城镇新增就业比2021年减少了多少'."""
    return _FRAMED_COMPARISON.sub(r"\2\3比\1", question)


def plain_asking(question: str) -> str:
    """The question with spoken question words in their written form and its final particles
    (啊, 呀) dropped: '2016年找工作的形势咋样啊？' -> '2016年找工作的形势怎么样？'."""
    for spoken, written in _SPOKEN:
        question = re.sub(spoken, written, question)
    question = _INSTRUCTION.sub("", question)
    return _PARTICLES.sub("", question)


# What a question wants, tested in this order (the first match wins).
# '新登记市场主体9905户、增长19.3%，那上一年大约登记了多少户': a change given, the value before it asked
# (also with the change not stated: '按去年的增速倒推').
EARLIER = re.compile(r"(增长|增加|提高|提升|上涨|上升|涨|下降|减少|降低|降)了?(约|近)?\d[^？?]*?(上一?年|前一年|上年|去年|(19|20)\d{2}年)"
                     r"[^？?]{0,12}多少|"
                     # '按去年的增速倒推，2022年…大约有多少户'
                     r"(倒推|反推|往回推)[^？?]*?(上一?年|前一年|上年|(19|20)\d{2}年)[^？?]{0,16}多少")

# '2024年城镇新增就业比当年预期目标多了多少': the year's result against that year's target.
# Also with the verb first ('超出预期目标多少'), the target named for comparison ('与当年预期目标相比')
# or named first ('…增长目标，和当年实际增速相差').
_TARGET_OF = r"(当年|那年|那一年|今年|年初|原定|原|预定)?的?(定的|确定的|提出的|制定的|设定的)?(预期|计划|控制|调控)?"
VS_TARGET = re.compile(r"比" + _TARGET_OF + r"(目标|计划)(多出|高出|超出|多|少|高|低|快|慢|超|相差|差)|"
                       r"(超出|超过|高出|低于|高于|超额完成)了?" + _TARGET_OF + r"目标(?=[^，,。？?]{0,8}(多少|几))|"
                       r"(与|和|跟|同)" + _TARGET_OF + r"目标(相比|比|相差|之间相差|差)[，,]?|"
                       # the target first: '年初定的增长目标，和当年实际增速相差几个百分点'
                       r"目标[，,]?(与|和|跟|同)(当年|当时|最后)?的?实际[\u4e00-\u9fff]{0,4}?(相比|比|相差|之间相差|差)")

# Whether a year's target was met, asked yes or no ('1999年经济增速有没有达到年初的预期',
# '2015年外贸目标完成了吗'): the year's result against the same year's target.
# Whether a target was missed: '目标是不是没完成', '是不是没达标' (the verdict's yes is 'missed').
MISSED_TARGET = re.compile(r"(?:目标|计划|任务)?(?:是不是|是否|是)(?:没|没有|未)(?:完成|达标|达到|实现)|没(?:有)?达标")
MET_TARGET = re.compile(r"(?:有没有|是否|是不是|能否|有无)?(?:达到|完成|实现|超过|超出|达成|压到|降到|控制在|达)了?"
                        # the target's number or measure may stand between ('超过6%的目标', '年初定的增长目标',
                        # '达到年初8%的目标', '超过了当年6.5%左右的预期目标')
                        + _TARGET_OF + r"(?:[\d.]+\s*(?:%|％|万人|万吨|亿元|万亿元)(?:左右|以上|以内)?的?)?" + _TARGET_OF +
                        r"(?:的)?(?:增长|增速|涨幅|调控|控制)?(?:目标|预期|计划)(?:目标|任务)?|"
                        r"(?:预期|目标|计划)(?:目标|任务)?(?:有没有|是否)?(?:达到|完成|实现|达成|做到)了?(?=吗|没|了吗|与否|[？?]|$)|"
                        # asked the other way round: '目标是不是没完成', '是不是没达标'
                        + MISSED_TARGET.pattern)

# The rest of a share: '非公办的占多少', '其余的占比'.
COMPLEMENT = re.compile(r"(?:非|其余|其他|剩下|剩余|不在|(?<!是)不是|不属于|没在|没有在)[^，,。？?]{0,8}(?:占|比例|比重|多少)")
# A table asked for: '把一老一小的数字列成表', '各项指标做成表格'.
TABLE_REQUEST = re.compile(r"(?:列|做|整理|制|汇总|画|弄)(?:成|出)?(?:个|一个|一张|张)?(?:表格?|清单)|表格|(?:\bas a )?\btable\b|"
                           # '帮我列一下…的几个数：A、B、C': the figures of several things, listed
                           r"列(?:一下|出来?)[^？?。]*?(?:几个数|数字|数据|指标)", re.I)
# The words of a table request that say nothing of its topic.
TABLE_WORDS = re.compile(r"请|帮我|帮忙|把|将|给我|相关的?|有关的?|各项|所有的?|全部的?|(?:的)?(?:主要)?(?:数字|数据|指标|数值)|"
                         + TABLE_REQUEST.pattern + r"|[吧呢。？?！!]", re.I)
# A series over years asked for: a span ('2019到2023年', '2016年以来', '近五年'; '前一年' is one year) or every year ('历年',
# '每年', '逐年'; '平均每年' and '每年递增' are a span's average rate), or how a figure moved ('变化', '趋势') over a span.
YEAR_SPAN = re.compile(r"((?:19|20)\d{2})\s*年?\s*(?:到|至|—|–|-|~|～)\s*((?:19|20)\d{2})\s*年?|"
                       r"((?:19|20)\d{2})\s*年?(?:以来|至今)|(?:近|最近|过去|前)(?!一年|1年)([一二三四五六七八九十两\d]{1,2})\s*年")
EVERY_YEAR = re.compile(r"历年|(?<!平均)每年(?!平均|递增|递减)|逐年|各年|每一年|一年年(?![底末初])|一年一年|哪一?年[^，,。？?]{0,12}最|year by year|each year|over the years", re.I)
TREND = re.compile(YEAR_SPAN.pattern + "|" + EVERY_YEAR.pattern, re.I)
# Words that ask for each year's figure, not one answer over the span.
PER_YEAR = re.compile(EVERY_YEAR.pattern + r"|分别|各是|(?<!什么)(?<!哪些)(?<!啥)变化|趋势|走势|怎么变|如何变|哪一?年", re.I)
# A span's total or average asked ('累计', '一共', '年均'): the reports' own span figure, no two years' difference.
SPAN_TOTAL_WORDS = re.compile(r"累计|一共|总共|合计|年均|平均每年|这几年|五年")
# The change over a span, one answer ('2018到2022年高铁运营里程增加了多少', '从多少增加到多少').
CHANGE_VERBS = "增加|增长|提高|提升|扩大|减少|下降|降低|缩小"  # the verbs a change over time is asked with
SPAN_CHANGE = re.compile(rf"({CHANGE_VERBS})(了|到|至)?(多少|几)|从多少|由多少")
# The words of a trend question that say nothing of its measure.
TREND_WORDS = re.compile(TABLE_REQUEST.pattern + "|" + YEAR_SPAN.pattern + r"|(?:19|20)\d{2}|[到至~～—–-]|以来|至今|历年|每年|逐年|各年|每一年|哪一?年|怎么?变的?|变的?$|"
                         r"分别|怎么变的?|如何变化|变化情况|变化|趋势|走势|情况|列出|列一下|都|各是|[（(]\s*[)）]|"
                       r"预算安排|实际执行|执行情况|安排|计划|"
                         r"目标和实际|实际和目标|目标与实际|目标|预期|实际|完成情况|完成|哪一年最[高低多少大小]|最[高低多少大小]的?是?|"
                         # how people ask for the series ('一年年是多少', '帮我列一下', '逐年说一下', '给M2定的',
                         # '涨得最厉害', '五十年代后期')
                         r"一年年|一年一年|(?:帮我|给我)?(?:列|说|讲|整理|对比|排)(?:一下|出来|个表|一个表)?|[这那]些年|这几年|那几年|"
                         r"[一二三四五六七八九]十年代(?:前期|中期|后期|初期|末期|末|初)?|^给|(?<=\s)给|定(?=\s|的|得|了|增|目标|$)|^定|"
                         r"(?:[涨增降跌]|增长|下降)?得?最(?:厉害|快|慢|猛|高|低|多|少|大|小)|^年|年(?=[涨降增跌])|"
                         r"(?<=[\u4e00-\u9fff])(?<![下上提增减回升])[涨降增跌](?=$|[涨降增跌]幅)|来$|"
                         # a span's frame around the measure ('从…', '…间', '2020年以后', '这项指标', '…数是')
                         r"^从|^间|以后|以前|之后|期间|前中期|中后期|这项指标|这个指标|这一指标|(?<=数)是$|^年|"
                         r"(?:19)?[5-9]0年代(?:前中期|中后期|前期|中期|后期|初期|末期|末|初)?")
# A gap of two figures asked ('相差', '差了几个百分点'; 'A高出B多少', said without 比): compute kinds
# and the difference operation read the same words.
GAP_WORDS = r"相差|差了?多少|差了?几个?(?:百分)?点|差距"
GAP_WITHOUT_BI = r"[高低多少]出[^，,。？?]{1,12}?(?:多少|几)"
# GDP as the base of another measure ('单位国内生产总值能耗', '每万元GDP', '占国内生产总值比重').
PER_OUTPUT = re.compile(r"(?:单位|每)(?:国内|国民)?生产总值|(?:单位|每)GDP|万元(?:国内)?生产总值")

KIND_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("trend", TREND),  # (a span asked as a table, '1992—1999年…列个表对比一下', is a series)
    ("table", TABLE_REQUEST),
    ("compute", EARLIER),
    ("compute", VS_TARGET),
    ("compute", COMPLEMENT),
    # '比上年多了多少' compares; '城里多了多少绿地' (nothing to compare with) asks how much was added
    # ('与2021年相比，2022年城镇新增就业减少了多少': the comparison framed before the clause that asks)
    # (against another year only: '与解放前最高水平相比…增长了多少' asks the change the report states)
    ("compute", re.compile(r"(?:跟|和|与|同|较)\s*(?:19|20)\d{2}\s*年(?:相比|比较|相较)[，,]?[^。？?]*(?:多少|几)")),
    # an amount's change against a named year ('2016年国内生产总值比2015年增加了多少万亿元'): two years'
    # figures, each from its own report (a rate, '增长了多少%', is stated as it is: a fact)
    ("compute", re.compile(r"比\s*(?:19|20)\d{2}\s*年[^，,。？?]{0,6}?(?:增加|增长|提高|减少|下降|降低|多|少)(?:了|出来?了?)?(?:多少|几)"
                           r"(?:(?:万亿|亿|万|千|百)(?:元|美元|人|吨|斤|公里|千瓦|户|个|家|辆)?|(?:元|美元|人|吨|斤|公里|千瓦|户|个|家|辆))")),
    ("compute", re.compile(r"(?:比|较|跟|和|与|同)[^，,。？?]*(?:[多少高低快慢]|回落|下降|降低|提高|上升|放缓|加快)(?:了|出了?)?(?:多少|几个?百分点|几个点)|"
                           + GAP_WITHOUT_BI)),  # (多出多少)
    ("compute", re.compile(r"平均(?:每(?!年)|一(?=[个家所人户座张天位名]))|一共|总共|合计|加起来|加在一起|加一块儿?|加到一起|合起来|算在一起|总和|之和|" + GAP_WORDS + r"|"
                           r"几倍|多少倍|倍数|哪个(更|比较)?[多少高低快慢大小]|哪一?(项|个|类)更|谁更|更[多少高低快慢大小]|"
                           # a threshold to compare with ('是否超过5%'); '是否超过了火电' is a yes/no question
                           r"(是否|有没有)(超过|达到|高于|低于|多于|少于)(?=.*\d)")),
    ("why", re.compile(r"为什么|为何|凭什么|有何依据|依据是什么|何以|目的|为了什么|图的?是?什么|原因|意义|用意|干什么用|做什么用|(?:拿来|用来|用于)做?什么|有什么用|有何用|什么作用|有何作用|作用是什么|用处|why", re.I)),
    # '有哪些水利工程取得了进展' wants the things named, not a section's highlights; '取得了哪些
    # 成绩' wants the highlights.
    ("list", re.compile(r"(?<!通过)哪些(?!方式|办法|手段|途径|(主要|重要|重大|显著)?(成绩|成就|成效|成果|进展|亮点|突破))")),
    # a means asked in so many words ('靠什么平台推动…科研成果转化') is how, whatever nouns the topic has
    ("how", re.compile(r"怎么做到|如何做到|通过什么|通过哪些|靠什么|靠哪些|采取(了)?(什么|哪些)(方式|办法|手段|途径)|用什么(方式|办法)|"
                       r"(什么|啥|哪些)(招|招数|法子|手段)|啥(办法|措施|方式)")),
    ("summary", re.compile(r"怎么样|(成效|效果|进展|情况|表现|成绩|进度|做得)如何|如何评价|(情况|表现|形势|成效|效果)怎样|成效|进展|亮点|成绩|成果|成就|"
                           # ('关税整体降到了多少' asks one figure: 整体 says of what, not how it went overall)
                           r"概况|概括|总结|(?:总体|整体)(?![^，,。？?]*(?:多少|几))|介绍一下|简述|简要|综述")),
    ("how", re.compile(r"怎么实现|如何实现|怎么|如何|怎样|\bhow\b(?! (many|much))", re.I)),
    ("list", re.compile(r"哪些|有什么|有啥|包括什么|采取(了)?什么|[做干办]成?了些?什么|什么(工作|措施|举措|项目|活动|荣誉|奖项)|"
                        r"列举|列出|逐项|逐条|一条一条|一项一项|几项|\bwhat (measures|steps|projects|actions)\b|\bwhich\b", re.I)),
    ("yesno", re.compile(YES_NO_WORDS + r"|了没有|没有[？?]?$|吗[？?]?$|吧[？?]$|"
                         r"([\u4e00-\u9fff])[没不]\1(?![\u4e00-\u9fff]{0,3}(?:多少|几))|"  # ('过没过', '够不够')
                         r"\b(is|are|was|were|did|does|has|have)\b.*\?$", re.I)),
]
# 各 before a verb asks for each part ("各是", "各涨了多少"): no word of the topic.
EACH = re.compile(r"各(?=是|有|为|自|涨|增|减|降|少|多|达|占)")
MULTI_MARKER = re.compile(r"分别|" + EACH.pattern)
CONJUNCTION = re.compile(r"和|与|及|、|以及|跟|还有")

# Plan or target, as opposed to what was achieved. '行动计划' and '规划' name things, not plans asked for.
PLAN_WORDS = re.compile(r"(?<!行动)(?<!超)(?<!按)(?<!原)计划(?!单列)|(?<!规)划定|目标|预期|预计|打算|将要|准备|拟|安排|部署|今后|下一步|接下来|"
                        r"\b(plan|target|goal|aim)s?\b|\b(?:planned|targeted|aimed|aiming|set for|supposed to|expected to|should|intended to|projected)\b", re.I)
# Verbs that say a figure was set as a target ('物价涨幅准备控制在多少', '目标定为多少'): they tell the
# plan side, which the time check reads (PLAN_WORDS), and name no measure.
TARGET_VERBS = re.compile(r"控制|控制在|设定|设定为|定为|定在|定到|定了|确定|设为|安排")
# The nouns that name a target asked about ('目标完成了没有', '这项任务'): whether it was met is the
# target check's, never a '是' for an act said done.
TARGET_NOUNS = re.compile(r"目标|计划|任务|指标|预期")
# A number a question states as a bound ('超过350天了吗', '控制在3%以内了吗'), not as the figure itself.
# ('不超过' holds 超过 and '不低于' holds 低于: the negated forms come first.)
AT_MOST = re.compile(r"以内|以下|不超过|不高于|不到|(?<!不)低于|(?<!不)少于")
ABOVE = re.compile(r"(?<!不)超过|(?<!不)高于|多于|突破")
AT_LEAST = re.compile(ABOVE.pattern + r"|达到|以上|不少于|不低于")


def bound_asked(text: str) -> str:
    """The bound a question's number is held to: 'at_most' ('以内', '不超过'), 'above' ('超过', '高于'),
    'at_least' ('达到', '以上', '不低于') or '' (the number is the figure itself)."""
    return "at_most" if AT_MOST.search(text) else "above" if ABOVE.search(text) else \
        "at_least" if AT_LEAST.search(text) else ""


# '增长了多少' (the perfective 了) asks what happened, not what was planned; so does 最终 ('最终产了多少'),
# but not a final goal ('最终目标').
RESULT_WORDS = re.compile(r"实际|实打实|真正|最终(?!目标|要|将)|最后(?:是|为|达到|实际|真正|完成|实现|增长|下降|涨|降|多少|产|做到|[\u4e00-\u9fff]{1,2}了)|完成了?[吗没]|实现了?[吗没]|达到了?[吗没]|完成了|实现了|达到了|做到了|已经|结果|"
                          r"(增长|增加|提高|提升|下降|减少|降低|新增|建成|完成|涨|降)了|(?:控制|压|降|稳)[在到住]了|了没有?|\b(actual|actually|achieved)\b", re.I)

# ---- places ---------------------------------------------------------------------------------

# The country a national report is of, as questions name it: never the subject its quote must name
# ('中国是不是…唯一实现经济正增长的' against '我国是…').
COUNTRY = frozenset(("中国", "我国", "全国", "国家", "中华人民共和国", "咱们国家"))

_ADMIN_SUFFIX = ("特别行政区", "地区", "自治区", "自治州", "自治县", "省", "市", "县", "区", "州", "盟", "旗", "镇", "乡", "村")
# Words with an administrative suffix that name no particular place.
_NOT_PLACES = frozenset("城区 全区 我区 本区 该区 社区 小区 园区 景区 山区 库区 辖区 片区 市区 县区 区县 城市 全市 我市 本市 "
                        "全县 我县 本县 城乡 乡村 农村 城镇 乡镇 村镇 地区 各地区 高新区 开发区 示范区 试验区 保护区 "
                        "自贸区 新区 老区 灾区 垦区 牧区 林区 矿区 街区 校区 功能区 经济区 城中村 行政村 自然村".split())
_NATIONAL = ("中国", "我国", "全国", "国内", "国家", "中华人民共和国")
# Words that end like a division but name none ('结成联盟', '联盟' is no 盟 of Inner Mongolia).
_NOT_SUFFIXES = ("联盟", "同盟", "加盟")
COMPASS_AREA = re.compile(r"(?:东|南|西|北|中|东南|东北|西南|西北)(?:部)?地区")


# A name followed by one of these names a school, a road or a team, not the place ('新华小学').
_INSTITUTION = re.compile(r"^(?:小学|中学|大学|学校|学院|医院|路|街|大道|大街|广场|公园|水库|电站|风电场|队|社区|小区|村|镇|乡|街道|"
                          r"公司|集团|银行|机场|站|港|桥|隧道|景区|园区|工业园)")


def places_named(question: str) -> list[str]:
    """Places a question names ('酉阳县', '酉阳', '上海', '美国'): by their administrative suffix, or
    as the gazetteer names them (``gazetteer``: every county, city and province of China, full or
    without its suffix) where jieba tags the word a name and no institution word follows it."""
    import rjieba

    tagged = rjieba.tag(fold(question))
    full, short = gazetteer()
    places: list[str] = []
    for i, (word, flag) in enumerate(tagged):
        following = tagged[i + 1][0] if i + 1 < len(tagged) else ""
        if following in _ADMIN_SUFFIX and flag in ("ns", "nr", "nz", "n"):
            word += following  # '秀山' '县'
            following = tagged[i + 2][0] if i + 2 < len(tagged) else ""
        if COMPASS_AREA.fullmatch(word):
            # a part of a province by its compass point ('渝东南地区', cut 渝 | 东南地区): named with the
            # province's one-character abbreviation before it (reports say '渝东南'), else no particular place
            previous = tagged[i - 1][0] if i else ""
            if len(previous) == 1 and re.fullmatch(r"[\u4e00-\u9fff]", previous):
                places.append(previous + word)
            continue
        suffixed = len(word) >= 3 and word.endswith(_ADMIN_SUFFIX) and not word.endswith(_NOT_SUFFIXES)
        # jieba tags many ordinary words 'ns' ('新建', '惠及'): without an administrative suffix only
        # the names of provinces, big cities and countries, and of the gazetteer's divisions, count.
        known = flag == "ns" and (word in PROVINCES or place_stem(word) in PROVINCES)
        listed = word in full or (word in short and flag in ("ns", "nr", "nz") and not _INSTITUTION.match(following))
        if (known or suffixed or listed) and word not in _NOT_PLACES and word not in _NATIONAL and len(word) >= 2:
            places.append(word)
    return places


@functools.lru_cache(maxsize=1)
def gazetteer() -> tuple[frozenset[str], frozenset[str]]:
    """China's administrative divisions (GB/T 2260, as the ``cpca`` package ships them in
    resources/adcodes.csv, 3,500 names): their full names ('酉阳土家族苗族自治县') and the short
    names people use ('酉阳': the suffix and the nationalities of an autonomous area taken off).
    Read from the file: importing cpca would load pandas. Empty when cpca is not installed."""
    import csv
    import importlib.util
    from pathlib import Path

    import rjieba

    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.origin:
        return frozenset(), frozenset()
    resources = Path(spec.origin).parent / "resources"
    with open(resources / "adcodes.csv", encoding="utf-8") as fh:
        names = {row["name"] for row in csv.DictReader(fh)}
    with open(resources / "56_nations.csv", encoding="utf-8") as fh:
        nations = sorted((line.strip() for line in fh if line.strip()), key=len, reverse=True)
    # '土家族苗族' of 酉阳土家族苗族自治县, also without 族 ('维吾尔' of 新疆维吾尔自治区)
    nation = re.compile("(?:" + "|".join(map(re.escape, nations + [n[:-1] for n in nations if len(n) > 2])) + ")+$")
    short = set()
    for name in names:
        stem = place_stem(name)
        stem = nation.sub("", stem) if stem != name and name.endswith(("自治县", "自治州", "自治区", "自治旗")) else stem
        tags = rjieba.tag(stem)
        # a short name that is an everyday word ('解放', '富民', '和平') names no place without its suffix
        if len(stem) >= 2 and stem not in _NOT_PLACES and stem not in _EVERYDAY_NAMES and len(tags) == 1 \
                and tags[0][1] in ("ns", "nr", "nz", "nrt", "nrfg"):
            short.add(stem)
    return frozenset(names), frozenset(short)


# Short names of divisions that reports use as ordinary words (the most frequent such words in the
# 52 national reports and the bundled one: 和平 670 times, 新建 127, 共和 98, 友谊 46, 惠民 38…).
_EVERYDAY_NAMES = frozenset("和平 和政 共和 新建 友谊 大城 惠民 兴国 大安 太平 同德 红旗 大通 惠农 同仁 青山 上城 平原 海港 "
                            "安宁 滨海 大关 金安 南海 东方 光明 前进 胜利 长安 朝阳 新华 城关 永安 长寿 大同 和顺".split())


# Provincial-level divisions (GB/T 2260), the largest cities and the countries reports compare with.
PROVINCES = frozenset("北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 "
                      "四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门 深圳 广州 成都 武汉 杭州 南京 "
                      "西安 苏州 郑州 长沙 沈阳 青岛 厦门 大连 宁波 美国 日本 韩国 俄罗斯 英国 法国 德国 印度 欧洲 欧盟 非洲".split())


def place_stem(place: str) -> str:
    """'酉阳县' -> '酉阳', '广东省' -> '广东': how a report usually names the place."""
    for suffix in _ADMIN_SUFFIX:
        if place.endswith(suffix) and len(place) - len(suffix) >= 2:
            return place[:-len(suffix)]
    return place


def is_national(title: str) -> bool:
    return any(word in title for word in ("中华人民共和国", "国务院", "全国人民代表大会"))


NATIONAL_PLACES = _NATIONAL


def to_simplified(text: str) -> str:
    """Traditional characters folded to simplified for matching ('城鎮新增就業' -> '城镇新增就业');
    OpenCC's t2s tables (opencc-python-reimplemented). Quotes keep the document's own text."""
    from opencc import OpenCC

    global _T2S
    if _T2S is None:
        _T2S = OpenCC("t2s")
    return _T2S.convert(text)


_T2S = None


def is_traditional(text: str, sample: int = 4000) -> bool:
    """The text is written in traditional characters (the 1954 report, Hong Kong, Macao, Taiwan):
    more than 3% of its Chinese characters change in simplified form."""
    head = text[:sample]
    chinese = sum("\u4e00" <= ch <= "\u9fff" for ch in head)
    changed = sum(a != b for a, b in zip(head, to_simplified(head)))
    return chinese > 0 and changed > 0.03 * chinese
