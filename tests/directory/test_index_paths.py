"""The index's fast paths give exactly what the plain ones give: preloaded members the same ProfileViews as
profile_members(), one view per group of audiences the same entries as one view per audience."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kizuna.core.actions import ensure_department
from kizuna.core.images import clean_photo
from kizuna.core.models import GroupCompany
from kizuna.directory import preload
from kizuna.directory.index import Indexer, reindex_all
from kizuna.directory.models import Entry
from kizuna.members import actions
from kizuna.members.access import profile_members
from kizuna.members.models import CustomField, Role, Visibility
from kizuna.members.profiles import LEVELS_SEEN_BY, custom_fields, view_profile, visibility_rules

from ..factories import MemberFactory
from .helpers import found


def _photo():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "teal").save(buffer, "PNG")
    return clean_photo(SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png"))


@pytest.fixture
def members(db, admin_user):
    company = GroupCompany.objects.create(name="絆テック", name_kana="きずなてっく")
    department = ensure_department("開発本部/品質保証部")
    club = actions.do_save_custom_field(admin_user, CustomField(), label="部活", kind="multi",
                                        choices=["野球部", "写真部"], default_visibility=Visibility.MEMBERS)
    nickname = actions.do_save_custom_field(admin_user, CustomField(), label="呼び名", kind="text",
                                            default_visibility=Visibility.ALUMNI)
    full = MemberFactory(name="髙橋 美咲", name_kana="たかはし みさき", company=company, department=department,
                         joined_on=datetime.date(2010, 4, 1), left_on=datetime.date(2019, 3, 31))
    actions.do_update_profile(full, {
        "romaji": "Misaki Takahashi", "current_company": "ＡＢＣ商事", "current_title": "課長", "industry": "it",
        "location": "JP-13", "bio": "物流と営業の話をしましょう。", "links": ["https://example.com/misaki"],
        "languages": ["ja", "en"], "purposes": ["mentor", "social"], "skills": ["Python", "採用"],
        club.key: ["写真部"], nickname.key: "みさきち",
    }, visibility={"current_company": Visibility.ALUMNI, "bio": Visibility.ME, "skills": Visibility.EMPLOYEES})
    actions.do_set_career(full, [
        {"company": company, "department": department, "title": "主任", "started_on": datetime.date(2010, 4, 1),
         "ended_on": datetime.date(2015, 3, 1)},
        {"company": None, "department": department.parent, "title": "課長", "started_on": datetime.date(2015, 3, 1),
         "ended_on": None},
    ])
    actions.do_set_photo(full, _photo())
    bare = MemberFactory(name="林 一郎", name_kana="はやし いちろう", role=Role.EMPLOYEE)  # no profile row at all
    return [full, bare]


def test_preloaded_members_give_the_same_profile_views(members):
    fields = custom_fields()
    rules = visibility_rules(fields)
    loaded = {m.pk: m for m in preload.Preloader().members([m.pk for m in members])}
    for member in profile_members().filter(pk__in=[m.pk for m in members]):
        for seen in LEVELS_SEEN_BY.values():
            assert view_profile(loaded[member.pk], seen=seen, rules=rules, fields=fields) == \
                view_profile(member, seen=seen, rules=rules, fields=fields)


def test_entries_are_the_same_from_model_instances_and_from_preloaded_rows(members):
    indexer = Indexer()
    ids = [m.pk for m in members]
    from_models = [e for m in profile_members().filter(pk__in=ids).order_by("pk") for e in indexer.entries(m)]
    from_rows = [e for m in indexer.load(sorted(ids)) for e in indexer.entries(m)]
    assert [vars_of(e) for e in from_models] == [vars_of(e) for e in from_rows]


def test_one_entry_per_distinct_view(members):
    full, bare = members
    entries = Entry.objects.filter(member_id=full.pk)
    # Company for alumni and HR, skills for employees and HR, bio for nobody: three different views.
    assert {(e.for_alumni, e.for_employees, e.for_admins) for e in entries} == {
        (True, False, False), (False, True, False), (False, False, True)}
    assert Entry.objects.filter(member_id=bare.pk).count() == 1


def test_each_audience_finds_what_its_view_shows(members):
    full, _bare = members
    alumni, employee, admin = (MemberFactory(role=role) for role in (Role.ALUMNI, Role.EMPLOYEE, Role.ADMIN))
    for viewer, q, expected in [
        (alumni, "abc商事", True), (employee, "abc商事", False), (admin, "abc商事", True),
        (alumni, "python", False), (employee, "python", True), (admin, "python", True),
        (alumni, "みさきち", True), (employee, "みさきち", False), (admin, "みさきち", True),
        (admin, "物流", False), (alumni, "写真部", True), (employee, "品質保証", True),
    ]:
        assert (full.pk in found(viewer, q)) == expected, (viewer.role, q)


def test_full_reindex_writes_members_in_reading_order(members):
    MemberFactory(name="安藤 一", name_kana="あんどう はじめ")
    reindex_all()
    readings = list(Entry.objects.order_by("pk").values_list("sort_key", flat=True))
    assert readings == sorted(readings)


def vars_of(entry):
    return {key: value for key, value in vars(entry).items() if key not in ("_state", "id")}



def test_worker_processes_build_the_index_one_process_builds(transactional_db, members, monkeypatch):
    """A big network's full re-index builds its rows in forked worker processes: the same entries, in the
    same (reading) order, and searches find the same members."""
    from kizuna.directory import index

    for number in range(7):
        MemberFactory(name=f"林 {number}", name_kana=f"はやし {number}")
    reindex_all()
    alone = [vars_of(entry) for entry in Entry.objects.order_by("pk")]
    by_workers = {}
    monkeypatch.setattr(index, "PARALLEL_FROM", 1)
    monkeypatch.setattr(index, "WORKERS", 2)
    monkeypatch.setattr(index, "BATCH", 3)  # several batches, handed out to both workers
    original = index._Workers.__enter__

    def counting(self):
        by_workers["used"] = True
        return original(self)

    monkeypatch.setattr(index._Workers, "__enter__", counting)
    assert reindex_all() == len(alone)
    assert by_workers == {"used": True}
    assert [vars_of(entry) for entry in Entry.objects.order_by("pk")] == alone
    assert len(found(MemberFactory(), "林")) == 8
