"""Full-text search: Chinese terms of two characters and more, on the test database's dialect."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from flask_babel import force_locale
from sqlalchemy import MetaData, create_engine, inspect, select, text

from core import search
from core.errors import DomainError
from core.extensions import NAMING_CONVENTION, db
from core.models import Department, DepartmentKind

MIGRATION = Path(__file__).parents[2] / "migrations/versions/f3e4c0000003_full_text_search.py"


@pytest.fixture(autouse=True)
def in_english(app_ctx):
    """The messages are checked in English, whatever the catalogue says in Chinese."""
    with force_locale("en"):
        yield


def found(words: str, kind: str = "matter") -> set[int]:
    return set(db.session.scalars(search.matching(kind, words)))


@pytest.fixture
def contracts():
    search.index(
        "matter", 1, "关于采购合同的审查", "请审查附件中的采购合同。", "甲方：江城建设有限公司"
    )
    search.index("matter", 2, "合作协议", "与高校的合作协议，约定双方权利义务。")
    search.index("matter", 3, "Contract Review for the Port Authority")


def test_a_two_character_word_is_found_and_not_its_characters_apart(contracts):
    assert found("合同") == {1}
    assert found("协议") == {2}
    assert found("合作") == {2}


def test_a_longer_term_is_a_substring_of_title_or_text(contracts):
    assert found("采购合同") == {1}
    assert found("购合同的审") == {1}
    assert found("合同审查") == set()  # both words are there, but not side by side
    assert found("江城建设有限公司") == {1}  # the parties, a later text
    assert found("权利义务") == {2}


def test_every_term_must_match(contracts):
    assert found("采购 审查") == {1}
    assert found("审查 江城") == {1}
    assert found("采购 协议") == set()


def test_latin_is_found_whatever_its_case_and_width(contracts):
    assert found("contract") == {3}
    assert found("CONTRACT review") == {3}
    assert found("ｃｏｎｔｒａｃｔ　ＰＯＲＴ") == {3}  # full-width letters and space
    assert found("authority port") == {3}
    assert found("portal") == set()


def test_punctuation_separates_terms(contracts):
    assert search.terms("《合同法》，ＡＢＣ-12  合同") == ["合同法", "abc", "12", "合同"]
    assert found("采购，审查。") == {1}


def test_a_term_does_not_run_across_punctuation():
    search.index("matter", 1, "甲方合，同乙方")
    search.index("matter", 2, "xab，bcy")
    assert found("合同") == set()
    assert found("abc") == set()
    assert found("ab bc") == {2}


def test_a_term_matches_where_it_stands_not_where_its_pairs_are():
    search.index("matter", 1, "审查合同，同审查")  # 审查, 查合, 合同, 同审 all there
    assert found("合同审查") == set()
    assert found("同审查") == {1}


def test_too_long_a_term_is_refused():
    with pytest.raises(DomainError):
        search.matching("matter", "合" * (search.MAX_TERM_LENGTH + 1))
    search.matching("matter", "合" * search.MAX_TERM_LENGTH)


def test_a_record_id_must_fit_the_kinds_span():
    for record_id in (0, -1, search.ID_SPAN):
        with pytest.raises(ValueError):
            search.index("matter", record_id, "合同")
    search.index("matter", search.ID_SPAN - 1, "合同")
    assert found("合同") == {search.ID_SPAN - 1}


def test_kinds_are_kept_apart():
    search.index("matter", 7, "合同纠纷")
    search.index("opinion", 7, "劳动争议")
    assert found("合同") == {7}
    assert found("合同", "opinion") == set()
    assert found("劳动", "opinion") == {7}


def test_indexing_again_replaces_the_text():
    search.index("matter", 1, "合同审查")
    search.index("matter", 1, "借款纠纷", "民间借贷")
    assert found("合同") == set()
    assert found("借款") == {1}
    assert found("借贷") == {1}
    assert db.session.scalar(select(db.func.count()).select_from(search.SearchEntry)) == 1


def test_indexing_the_same_text_again_writes_nothing():
    search.index("matter", 1, "合同审查")
    stamped = db.session.scalar(select(search.SearchEntry.updated_at))
    search.index("matter", 1, "合同审查")
    assert db.session.scalar(select(search.SearchEntry.updated_at)) == stamped


def test_a_removed_record_is_not_found(contracts):
    search.remove("matter", 1)
    assert found("合同") == set()
    assert found("合作") == {2}
    search.remove("matter", 99)  # nothing to remove: nothing happens


def test_a_single_character_alone_is_refused_with_a_message(contracts):
    for words in ("合", "  合  ", "合 同", "", "a"):
        with pytest.raises(DomainError) as refused:
            search.matching("matter", words)
        assert refused.value.field == "q"
        assert "two characters" in refused.value.message


def test_a_single_character_narrows_the_other_terms(contracts):
    assert found("合 审查") == {1}
    assert found("甲 合同") == {1}
    assert found("协 审查") == set()


def test_too_many_terms_are_refused():
    with pytest.raises(DomainError):
        search.matching("matter", " ".join(f"词{n}" for n in range(search.MAX_TERMS + 1)))
    search.matching("matter", " ".join(f"词{n}" for n in range(search.MAX_TERMS)))


@pytest.mark.parametrize(
    "words",
    [
        '"',
        "'",
        "*",
        "%",
        "_",
        "\\",
        "NEAR(",
        "AND",
        "OR",
        "NOT",
        '合同" OR "合作',
        "合同 OR 合作",
        "NOT 合同",
        "合同*",
        "合%同",
        "'; DROP TABLE search_entry; --",
        "grams:合同",
        "^合同",
        "{grams}: 合同",
        "\x00合同",
    ],
)
def test_what_looks_like_query_syntax_is_only_words(contracts, words):
    """No input breaks the query or changes its meaning: terms are ANDed substrings."""
    try:
        ids = found(words)
    except DomainError:  # no term of two characters: refused politely
        assert not any(len(term) >= 2 for term in search.terms(words))
        return
    expected = {
        record
        for record, haystack in {
            1: "关于采购合同的审查请审查附件中的采购合同。甲方：江城建设有限公司",
            2: "合作协议与高校的合作协议，约定双方权利义务。",
            3: "contract review for the port authority",
        }.items()
        if all(term in haystack for term in search.terms(words))
    }
    assert ids == expected
    assert found("合同") == {1}  # the index is intact


def test_wildcards_in_the_text_are_ordinary_characters():
    search.index("matter", 1, "保证金比例100%_上限")
    search.index("matter", 2, "保证金比例1000")
    assert found("100") == {1, 2}
    assert found("100%") == {1, 2}  # % separates, like any punctuation
    assert found("比例100") == {1, 2}
    assert found("上限") == {1}


def test_characters_beyond_the_common_set_are_found():
    search.index("matter", 1, "王𬌗诉区政府", "𠀀𠀁 café ｶﾀｶﾅ 한국어")
    search.index("matter", 2, "王某诉区政府")
    assert found("王𬌗") == {1}
    assert found("𬌗诉") == {1}
    assert found("𠀀𠀁") == {1}
    assert found("CAFÉ") == {1}
    assert found("カタカナ") == {1}  # half-width katakana is made full-width
    assert found("한국") == {1}
    assert found("王某") == {2}


def test_the_select_scopes_a_models_query():
    """How a package uses it: Model.id.in_(matching(kind, words)), with its own filters."""
    names = ["法制办公室", "司法局", "财政局合同科"]
    departments = [Department(name=name, kind=DepartmentKind.BUREAU) for name in names]
    db.session.add_all(departments)
    db.session.flush()
    for department in departments:
        search.index("department", department.id, department.name)
    rows = db.session.scalars(
        select(Department.name)
        .where(Department.id.in_(search.matching("department", "合同")))
        .order_by(Department.name)
    ).all()
    assert rows == ["财政局合同科"]


def test_reindex_replaces_only_its_kind():
    search.index("matter", 1, "旧的合同")
    search.index("opinion", 1, "意见合同")
    rows = [(n, f"事项{n}", [f"合同第{n}号", None]) for n in range(1, 2501)]
    assert search.reindex("matter", rows) == 2500
    assert len(found("合同")) == 2500
    assert found("旧的") == set()
    assert found("第2500号") == {2500}
    assert found("合同", "opinion") == {1}
    with pytest.raises(ValueError):
        search.reindex("matter", [(1, "甲", []), (1, "乙", [])])


def test_the_sqlite_index_stays_consistent_through_bulk_deletes(contracts):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the FTS5 index is SQLite's")
    db.session.execute(search.SearchEntry.__table__.delete())  # as the test teardown does
    search.index("matter", 1, "新的记录")
    db.session.execute(text("INSERT INTO search_gram(search_gram) VALUES ('integrity-check')"))
    assert found("合同") == set()
    assert found("记录") == {1}


def test_search_rebuild_asks_each_package_for_its_records(runner, monkeypatch):
    monkeypatch.setitem(search.INDEXERS, "lawsuit", lambda: [(5, "买卖合同纠纷", ["原告", "被告"])])
    search.index("lawsuit", 9, "已删除的案件")
    db.session.commit()
    result = runner.invoke(args=["search", "rebuild", "lawsuit"])
    assert result.exit_code == 0, result.output
    assert "lawsuit: 1 records indexed" in result.output
    assert found("合同", "lawsuit") == {5}
    assert found("删除", "lawsuit") == set()
    assert runner.invoke(args=["search", "rebuild", "nothing"]).exit_code != 0


@pytest.mark.no_app_context
def test_the_migration_builds_what_create_all_builds(tmp_path):
    """Both ways of creating the schema give the same table, index and (SQLite) triggers."""
    url = os.environ.get("COUNSEL_TEST_MIGRATE_URL") or f"sqlite:///{tmp_path / 'm.sqlite3'}"
    migrated, created = create_engine(url), create_engine(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    search.SearchEntry.__table__.to_metadata(metadata)
    spec = importlib.util.spec_from_file_location("search_migration", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    try:
        with (
            migrated.begin() as connection,
            Operations.context(MigrationContext.configure(connection)),
        ):
            migration.upgrade()
        with migrated.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"compare_type": True, "include_object": _only_search},
            )
            assert compare_metadata(context, metadata) == []
        if migrated.dialect.name == "sqlite":
            search.SearchEntry.__table__.create(created)  # with its DDL events
            assert _sqlite_objects(migrated) == _sqlite_objects(created)
        else:
            with migrated.connect() as connection:
                definition = connection.scalar(
                    text(
                        "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_search_entry_grams'"
                    )
                )
            assert "USING gin (grams)" in definition
            with migrated.connect() as connection:
                statistics = connection.scalar(
                    text(
                        "SELECT attstattarget FROM pg_attribute"
                        " WHERE attrelid = 'search_entry'::regclass AND attname = 'grams'"
                    )
                )
            assert statistics == 0
        with (
            migrated.begin() as connection,
            Operations.context(MigrationContext.configure(connection)),
        ):
            migration.downgrade()
        assert not {"search_entry", "search_gram"} & set(inspect(migrated).get_table_names())
    finally:
        migrated.dispose()
        created.dispose()


def _only_search(obj, name, type_, reflected, compare_to) -> bool:
    # the migrate database may hold other packages' tables from an earlier test
    if type_ == "table" and name != "search_entry":
        return False
    return search.include_object(obj, name, type_, reflected, compare_to)


def _sqlite_objects(engine) -> set[tuple[str, str, str]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT type, name, sql FROM sqlite_master WHERE tbl_name LIKE 'search%'")
        )
        return {tuple(row) for row in rows}
