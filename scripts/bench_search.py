"""Speed of the full-text search at 100,000 records: `python scripts/bench_search.py`.

Fills the search index of a throwaway SQLite database (and of PostgreSQL when
COUNSEL_BENCH_DATABASE_URL names one: its search_entry table is dropped and made again) with
matters whose titles and texts are made from word lists of a legal adviser office's work, then
times typical searches of two, three and four characters and of several words, as a list page
runs them against a 100,000-row table filtered by `id IN (matching(...))`: the count of the
matches, and the first page of the 20 newest. Timings belong here, not in the test suite,
where they would be flaky.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Column, Date, Integer, MetaData, Table, func, select, text

from core import create_app, search
from core.extensions import db
from core.flow import commit

SIZE = int(os.environ.get("COUNSEL_BENCH_SEARCH_SIZE", "100000"))
REPEATS = 7
KIND = "matter"

DEPARTMENTS = [
    "区发展和改革局",
    "区财政局",
    "区住房和城乡建设局",
    "区自然资源局",
    "区市场监督管理局",
    "区教育局",
    "区卫生健康委员会",
    "区人力资源和社会保障局",
    "区生态环境分局",
    "区交通运输局",
    "区农业农村局",
    "区商务局",
    "区司法局",
    "区应急管理局",
    "区城市管理局",
    "区民政局",
    "区文化和旅游局",
    "区医疗保障局",
    "东湖街道办事处",
    "城关镇人民政府",
    "青山镇人民政府",
    "滨江街道办事处",
    "区机关事务管理局",
    "区国有资产监督管理办公室",
]
SUBJECTS = [
    "采购合同",
    "房屋租赁合同",
    "建设工程施工合同",
    "特许经营协议",
    "国有土地上房屋征收补偿方案",
    "行政处罚决定",
    "规范性文件",
    "政府信息公开答复",
    "劳动争议",
    "国有资产转让",
    "招商引资协议",
    "政府和社会资本合作项目",
    "物业服务合同",
    "委托代理协议",
    "借款合同",
    "行政复议答复",
    "集体土地征收",
    "拆迁安置协议",
    "技术服务合同",
    "专项资金管理办法",
    "优化营商环境措施",
    "重大行政决策",
    "土地使用权出让合同",
    "行政协议纠纷",
    "合作框架协议",
    "信访事项处理意见",
]
ACTIONS = ["合法性审查", "法律意见", "风险评估", "修改意见", "审查意见", "论证意见", "法律咨询"]
LAWS = [
    "中华人民共和国民法典",
    "中华人民共和国行政许可法",
    "中华人民共和国政府采购法",
    "中华人民共和国招标投标法",
    "中华人民共和国行政诉讼法",
    "中华人民共和国行政处罚法",
    "国有土地上房屋征收与补偿条例",
    "优化营商环境条例",
    "重大行政决策程序暂行条例",
    "中华人民共和国劳动合同法",
    "中华人民共和国土地管理法",
    "中华人民共和国政府信息公开条例",
]
CLAUSES = [
    "违约责任",
    "付款方式",
    "履行期限",
    "争议解决",
    "保密义务",
    "知识产权归属",
    "解除条件",
    "质量标准",
    "验收程序",
    "补偿标准",
    "担保方式",
    "不可抗力",
    "价款调整",
    "履约保证金",
]
FINDINGS = [
    "符合法律规定",
    "存在一定法律风险",
    "约定不明确，建议予以细化",
    "与上位法规定不一致，建议修改",
    "程序合法",
    "缺少必要的审批手续",
    "表述不够严谨",
    "建议补充相关证明材料",
    "可能引发行政诉讼风险",
    "权利义务不对等，建议调整",
]
RISKS = ["行政复议", "行政诉讼", "合同纠纷", "国有资产流失", "信访"]
PLACES = ["江城", "华远", "鑫源", "恒达", "中泰", "瑞丰", "宏图", "金鹏", "新港", "长青", "博远"]
TRADES = ["建设", "科技", "物业", "环保", "置业", "工程", "信息技术", "医药", "交通", "文化传媒"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红云峰"

SEARCHES = [
    "合同",  # two characters, in most records
    "征收",
    "物业",
    "保密",
    "民法典",  # three
    "招标投",
    "王伟",
    "采购合同",  # four
    "房屋征收",
    "履约保证",
    "采购合同 违约责任",  # several words
    "街道 补偿标准 诉讼",
    "王 合同",  # a single character narrows another term
    "江城建设有限公司",
    "不存在的词语",
]


def company(rng: random.Random) -> str:
    return f"{rng.choice(PLACES)}{rng.choice(TRADES)}有限公司"


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))


def sentence(rng: random.Random) -> str:
    return rng.choice(
        [
            f"根据《{rng.choice(LAWS)}》第{rng.randint(1, 300)}条的规定，"
            f"{rng.choice(CLAUSES)}的约定{rng.choice(FINDINGS)}。",
            f"{rng.choice(DEPARTMENTS)}与{company(rng)}签订的{rng.choice(SUBJECTS)}中，"
            f"关于{rng.choice(CLAUSES)}的条款{rng.choice(FINDINGS)}。",
            f"经办人{person(rng)}于{rng.randint(2019, 2026)}年{rng.randint(1, 12)}月"
            f"{rng.randint(1, 28)}日提交材料，"
            f"请求就{rng.choice(SUBJECTS)}出具{rng.choice(ACTIONS)}。",
            f"建议{rng.choice(DEPARTMENTS)}在{rng.choice(CLAUSES)}方面予以完善，"
            f"避免{rng.choice(RISKS)}风险。",
        ]
    )


def records(size: int, seed: int = 8):
    """Yield (record id, title, texts) like the consultations package's matters."""
    rng = random.Random(seed)
    for record_id in range(1, size + 1):
        title = f"关于{rng.choice(DEPARTMENTS)}{rng.choice(SUBJECTS)}的{rng.choice(ACTIONS)}"
        body = "".join(sentence(rng) for _ in range(rng.randint(3, 12)))
        parties = "、".join(company(rng) for _ in range(rng.randint(1, 3)))
        yield record_id, title, [f"ZX{2026}-{record_id:06d}", body, parties]


def timed(statement) -> tuple[float, object]:
    timings, result = [], None
    db.session.execute(statement).all()  # warm the cache
    for _ in range(REPEATS):
        started = time.perf_counter()
        result = db.session.execute(statement).all()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), result


def _record_table(size: int) -> Table:
    """A stand-in for the matters list: a record per entry, listed newest first."""
    records_table = Table(
        "bench_record",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("received_on", Date, index=True),
    )
    records_table.drop(db.engine, checkfirst=True)
    records_table.create(db.engine)
    first = date(2016, 1, 1)
    rows = [{"id": n, "received_on": first + timedelta(days=n // 30)} for n in range(1, size + 1)]
    db.session.execute(records_table.insert(), rows)
    commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE bench_record"))
    return records_table


def storage() -> str:
    if db.engine.dialect.name == "sqlite":
        pages = db.session.execute(text("PRAGMA page_count")).scalar()
        size = db.session.execute(text("PRAGMA page_size")).scalar()
        return f"database file {pages * size / 2**20:.0f} MB"
    size = db.session.execute(text("SELECT pg_total_relation_size('search_entry')")).scalar()
    return f"search_entry with its index and TOAST {size / 2**20:.0f} MB"


def bench(url: str) -> None:
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        table = search.SearchEntry.__table__
        table.drop(db.engine, checkfirst=True)
        table.create(db.engine)  # with its dialect's index
        started = time.perf_counter()
        count = search.reindex(KIND, records(SIZE))
        commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            postgresql = connection.dialect.name == "postgresql"
            connection.execute(text("VACUUM ANALYZE search_entry" if postgresql else "ANALYZE"))
        filled = time.perf_counter() - started
        print(f"\n{db.engine.dialect.name}: {count} records indexed in {filled:.0f} s, {storage()}")
        records_table = _record_table(count)
        print(f"{'search':<16} {'matches':>8} {'count ms':>9} {'page ms':>8}")
        for words in SEARCHES:
            ids = search.matching(KIND, words)
            listed = records_table.c.id.in_(ids)
            count_ms, rows = timed(select(func.count()).where(listed))
            page_ms, _ = timed(
                select(records_table.c.id)
                .where(listed)
                .order_by(records_table.c.received_on.desc(), records_table.c.id.desc())
                .limit(20)
            )
            label = words + " " * (16 - 2 * len(words))  # CJK characters are two columns wide
            print(f"{label} {rows[0][0]:>8} {count_ms:>9.1f} {page_ms:>8.1f}")
        started = time.perf_counter()
        search.index(KIND, SIZE // 2, "关于东湖街道办事处采购合同的合法性审查", "更新后的正文")
        commit()
        print(f"one record indexed again: {(time.perf_counter() - started) * 1000:.1f} ms")
        if db.engine.dialect.name == "postgresql":
            table.drop(db.engine)
            records_table.drop(db.engine)
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        bench(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
    url = os.environ.get("COUNSEL_BENCH_DATABASE_URL")
    if url:
        bench(url)
    else:
        print("\n(set COUNSEL_BENCH_DATABASE_URL to a PostgreSQL database to time it too)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
