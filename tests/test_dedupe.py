"""Near-duplicate grouping and the sealing rule."""

import hashlib

import pandas as pd
import pytest

from analysis.corpus import dedupe
from analysis.params import DedupeParams

PARAMS = DedupeParams(num_perm=128, shingle_words=3, threshold=0.8)


def _docs(texts: dict[str, str], collection: str = "ucdp_syria") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": list(texts),
            "text": list(texts.values()),
            "collection": collection,
            "members": [d.split(":")[1] for d in texts],
        }
    )


def test_text_groups_join_exact_and_near_duplicates_but_not_templates():
    docs = _docs(
        {
            # the same headline on two events (case and punctuation differ)
            "ucdp_syria:1": "Warplanes bomb Jabal al-Zawiyah and people with medical conditions get out of Kafriya",
            "ucdp_syria:2": "warplanes bomb Jabal al Zawiyah, and people with medical conditions get out of Kafriya!",
            # the same long headline with one word added
            "ucdp_syria:3": "Continuous and violent clashes in al-Bghiliyyeh neighborhood in Deir Ezzor after killing and executing 35 members of the regime forces there",
            "ucdp_syria:4": "Continuous and violent clashes in al-Bghiliyyeh neighborhood in Deir Ezzor after killing and executing 35 members of the regime forces there today",
            # a templated daily toll with other numbers: a different report
            "ucdp_syria:5": "85 were killed yesterday including 23 members from the regime forces and 29 other people",
            "ucdp_syria:6": "89 were killed yesterday including 21 members from the regime forces and 7 other people",
        }
    )
    groups = dedupe.assign_text_groups(docs, params=PARAMS, seed=1).set_index("doc_id")["text_group"]
    assert groups["ucdp_syria:1"] == groups["ucdp_syria:2"] == "ucdp_syria:1"
    assert groups["ucdp_syria:3"] == groups["ucdp_syria:4"]
    assert groups["ucdp_syria:5"] != groups["ucdp_syria:6"]


def test_text_groups_do_not_depend_on_row_order():
    docs = _docs(
        {f"ucdp_syria:{i}": f"Shelling on town number {i % 3} in the north of Hama countryside" for i in range(9)}
    )
    a = dedupe.assign_text_groups(docs, params=PARAMS, seed=1).set_index("doc_id")["text_group"]
    b = dedupe.assign_text_groups(docs.iloc[::-1], params=PARAMS, seed=1).set_index("doc_id")["text_group"]
    pd.testing.assert_series_equal(a.sort_index(), b.sort_index())


@pytest.mark.parametrize("collection", ["fakes", "ucdp_iraq", "ucdp_syria"])
def test_is_sealed_id_follows_the_published_rule(collection):
    for source_id in ("410923", "1", "1914947530", "214797"):
        digest = hashlib.sha256(f"{collection}:{source_id}".encode()).hexdigest()
        assert dedupe.is_sealed_id(collection, source_id) is (int(digest[:8], 16) % 10 == 0)


def _a_sealed_id(collection: str, *, sealed: bool) -> str:
    return next(str(i) for i in range(10_000) if dedupe.is_sealed_id(collection, str(i)) is sealed)


def test_seal_spreads_to_same_text_and_flags_group():
    s, u1, u2, u3 = (
        _a_sealed_id("ucdp_iraq", sealed=True),
        *[str(i) for i in range(10_000) if not dedupe.is_sealed_id("ucdp_iraq", str(i))][:3],
    )
    docs = pd.DataFrame(
        {
            "doc_id": [f"ucdp_iraq:{x}" for x in (s, u1, u2, u3)],
            "collection": "ucdp_iraq",
            "members": [s, u1, u2, u3],
            # u1 has the sealed document's text; u2 is only near it; u3 is unrelated
            "text": ["Clashes in Ramadi", "clashes in ramadi", "Clashes in Ramadi", "Car bomb in Baghdad"],
            "text_group": ["g1", "g1", "g1", "g2"],
        }
    )
    docs.loc[2, "text"] = "Clashes in Ramadi today"
    out = dedupe.seal(docs).set_index("members")
    assert out.loc[s, "sealed_by_id"] and out.loc[s, "sealed"]
    assert not out.loc[u1, "sealed_by_id"] and out.loc[u1, "sealed"]  # shares its text
    assert not out.loc[u2, "sealed"] and out.loc[u2, "sealed_group"]  # near-duplicate: group only
    assert not out.loc[u3, "sealed_group"]


def test_merged_document_is_sealed_if_any_member_is():
    s, u = _a_sealed_id("fakes", sealed=True), _a_sealed_id("fakes", sealed=False)
    docs = pd.DataFrame(
        {"doc_id": [f"fakes:{u}"], "collection": "fakes", "members": [f"{u};{s}"], "text": ["x"], "text_group": ["g"]}
    )
    assert dedupe.seal(docs)["sealed_by_id"].item()


def test_lsh_bands_fit_the_signature():
    for num_perm, threshold in [(128, 0.8), (64, 0.9), (256, 0.5)]:
        bands, rows = dedupe.lsh_bands(num_perm, threshold)
        assert bands * rows <= num_perm and (1 / bands) ** (1 / rows) <= threshold
