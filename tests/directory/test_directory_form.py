from django.http import QueryDict

from kizuna.directory.forms import DirectoryForm
from kizuna.members import actions

from .helpers import found, member_with_profile


def test_query_string_becomes_a_search(db):
    member = member_with_profile("林 一郎", "はやし いちろう", skills=["Python"], purposes=["mentor"])
    form = DirectoryForm(QueryDict("q=林&skills=ｐｙｔｈｏｎ&purposes=mentor&sort=newest"))
    assert form.is_valid(), form.errors
    query = form.query()
    assert query.sort == "newest" and query.purposes == ["mentor"]
    assert found(member, query.q, skills=query.skills, purposes=query.purposes) == {member.pk}


def test_an_unknown_skill_finds_nobody(db):
    member = member_with_profile("林 一郎", "はやし いちろう")
    form = DirectoryForm(QueryDict("skills=COBOL"))
    assert form.is_valid()
    assert found(member, skills=form.query().skills) == set()


def test_bad_parameters_are_reported(db):
    form = DirectoryForm(QueryDict("joined_from=2020&joined_to=2010&location=XX&member_type=robot"))
    assert not form.is_valid()
    assert set(form.errors) == {"joined_to", "location", "member_type"}


def test_skills_split_on_japanese_commas():
    assert actions.split_skills("Python、Go，SQL\nAWS") == ["Python", "Go", "SQL", "AWS"]
