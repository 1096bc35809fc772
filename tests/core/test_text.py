import pytest
from hypothesis import given
from hypothesis import strategies as st

from kizuna.core.text import normalize, reading_key


@given(st.text())
def test_normalize_is_idempotent(text):
    assert normalize(normalize(text)) == normalize(text)


@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_normalize_drops_every_kind_of_space(text):
    assert not any(ch in normalize(text) for ch in " \t\r\n\u3000\u00a0")


@pytest.mark.parametrize("a, b", [
    ("髙橋", "高橋"),
    ("齋藤", "斎藤"), ("斎藤", "斉藤"), ("齊藤", "斉藤"),
    ("渡邊", "渡辺"), ("渡邉", "渡辺"),
    ("山﨑", "山崎"),
    ("山田\u3000太郎", "山田太郎"),
    ("ﾔﾏﾀﾞ ﾀﾛｳ", "やまだたろう"),
    ("ヤマダ　タロウ", "やまだ たろう"),
    ("ＹＡＭＡＤＡ Taro", "yamadataro"),
    ("E０１２３", "e0123"),
])
def test_variants_fold_together(a, b):
    assert normalize(a) == normalize(b)


def test_different_names_stay_different():
    assert normalize("高橋") != normalize("高梨")
    assert normalize("さとう") != normalize("さいとう")


def test_reading_key_sorts_in_gojuon_order():
    readings = ["ワタナベ", "あおき", "サトウ", "いとう"]
    assert sorted(readings, key=reading_key) == ["あおき", "いとう", "サトウ", "ワタナベ"]


def test_empty_values():
    assert normalize(None) == "" and normalize("") == ""
