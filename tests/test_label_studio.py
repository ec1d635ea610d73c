"""A gold round through Label Studio: the task and config files out, the JSON exports back in."""

import json
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from analysis import paths
from analysis.__main__ import main as cli
from analysis.codebook import EVENT_TYPES
from analysis.errors import DataError
from analysis.labels import gold, label_studio

SAMPLE = pd.DataFrame({"doc_id": ["own:1", "own:2", "own:3"], "collection": "own", "stratum": "own_random"})
DOCUMENTS = pd.DataFrame(
    {
        "doc_id": ["own:1", "own:2", "own:3", "own:4"],
        "collection": "own",
        "title": ["Army shells the old town", None, "Talks resume", "Rebels seize the hill"],
        "text": ["Artillery hit the old town.", "Gunmen killed two farmers.", "Both sides met.", "They took it."],
        "text_group": ["g1", "g2", "g3", "g4"],
        "sealed": False,
        "sealed_group": False,
    }
)


def _export(pass_name: str, labels: dict, *, sample: pd.DataFrame = SAMPLE, extra: list | None = None) -> list:
    """A Label Studio JSON export as the server writes it: one task per document, its annotations."""
    out = []
    for i, task in enumerate(label_studio.tasks(sample, DOCUMENTS, pass_name=pass_name)):
        doc_id = task["data"]["doc_id"]
        annotations = []
        if doc_id in labels:
            result = [
                {"from_name": "event_types", "to_name": "text", "type": "choices", "value": {"choices": labels[doc_id]}}
            ]
            annotations.append({"id": 10 + i, "completed_by": 1, "result": result, "was_cancelled": False})
        out.append({"id": i + 1, "annotations": annotations, "data": task["data"]})
    return out + (extra or [])


def _write(tmp_path, name, content) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(content))
    return str(path)


def test_config_offers_every_codebook_type_as_a_multiple_choice_with_its_definition():
    root = ET.fromstring(label_studio.labelling_config())
    choices = root.find("Choices")
    assert choices.get("choice") == "multiple" and choices.get("name") == label_studio.CONTROL
    assert [c.get("value") for c in choices] == list(EVENT_TYPES)
    assert all(c.get("hint") for c in choices)  # the definition, shown on hover
    assert root.find("Text").get("value") == "$text"


def test_tasks_carry_the_round_and_pass_and_an_empty_title_stays_empty():
    tasks = label_studio.tasks(SAMPLE, DOCUMENTS, pass_name="b")
    assert [t["data"]["doc_id"] for t in tasks] == list(SAMPLE["doc_id"])
    assert {t["data"]["pass"] for t in tasks} == {"b"} and tasks[1]["data"]["title"] == ""
    assert {t["data"]["round"] for t in tasks} == {label_studio.round_id(SAMPLE)}


def test_an_export_reads_back_into_label_sets_in_codebook_order(tmp_path):
    # annotator a picked clash before shelling; own:3 was skipped (no annotation): left out
    path = _write(tmp_path, "a.json", _export("a", {"own:1": ["shelling", "clash"], "own:2": []}))
    read = label_studio.read_export(path, SAMPLE, pass_name="a")
    assert read.to_dict("records") == [
        {"doc_id": "own:1", "labels": "clash;shelling"},
        {"doc_id": "own:2", "labels": ""},
    ]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        # a task whose document is not in the sample (edited by hand, or another sample's task)
        ("unknown_doc", "'own:9' is not in the sample"),
        # a choice the codebook does not have (the config was edited in Label Studio)
        ("bad_label", r"label\(s\) \['kidnapping'\] not in the codebook"),
        # two completed annotations of one task by one pass's annotator
        ("twice", "own:1 is annotated twice in pass a"),
        # annotator b's project exported and imported as pass a
        ("other_project", "not this sample's round .* pass 'a' \\(an export of another project\\?\\)"),
        # not an export at all
        ("not_json", "not a Label Studio JSON export"),
    ],
)
def test_a_bad_export_is_refused_with_one_line_naming_the_task(tmp_path, case, message):
    content = _export("a", {"own:1": ["clash"]})
    if case == "unknown_doc":
        content[0]["data"]["doc_id"] = "own:9"
    elif case == "bad_label":
        content[0]["annotations"][0]["result"][0]["value"]["choices"] = ["kidnapping"]
    elif case == "twice":
        content[0]["annotations"].append(dict(content[0]["annotations"][0], id=99))
    elif case == "other_project":
        content = _export("b", {"own:1": ["clash"]})
    path = tmp_path / "a.json"
    path.write_text("{not json" if case == "not_json" else json.dumps(content))
    with pytest.raises(DataError, match=message) as error:
        label_studio.read_export(path, SAMPLE, pass_name="a")
    assert "\n" not in str(error.value) and "a.json" in str(error.value)


def test_an_export_with_a_skipped_document_is_refused_as_a_pass(tmp_path):
    # annotator a skipped own:3: a pass must cover the whole sample (an adjudication need not)
    path = _write(tmp_path, "a.json", _export("a", {"own:1": ["clash"], "own:2": []}))
    with pytest.raises(DataError, match=r"a.json: 1 sampled documents not annotated .* first own:3"):
        label_studio.read_export(path, SAMPLE, pass_name="a", complete=True)


def test_two_passes_and_an_adjudication_make_an_annotation_file_the_gold_stage_reads(tmp_path):
    a = pd.DataFrame({"doc_id": SAMPLE["doc_id"], "labels": ["shelling", "civilian_harm", "negotiation"]})
    b = pd.DataFrame({"doc_id": SAMPLE["doc_id"], "labels": ["shelling", "clash", "negotiation"]})
    disputed = label_studio.disputes(a, b, SAMPLE)
    assert list(disputed["doc_id"]) == ["own:2"]
    with pytest.raises(DataError, match="disputed own:2 is not adjudicated"):
        label_studio.passes_frame(SAMPLE, a, b, pd.DataFrame({"doc_id": [], "labels": []}))
    rows = label_studio.passes_frame(SAMPLE, a, b, pd.DataFrame({"doc_id": ["own:2"], "labels": ["civilian_harm"]}))
    final = rows[rows["pass"] == "adjudicated"].set_index("doc_id")
    assert final["labels"].to_dict() == {"own:1": "shelling", "own:2": "civilian_harm", "own:3": "negotiation"}
    assert final["annotator"].to_dict() == {"own:1": "agreement", "own:2": "adjudicator", "own:3": "agreement"}
    checked = gold.validate_annotations(rows.astype(str), DOCUMENTS, source="labels_own.csv")
    agreement = gold.annotation_agreement(checked).set_index("event_type")
    assert agreement.loc["clash", "n_adjudicated"] == 1 and agreement.loc["shelling", "cohen_kappa"] == 1.0


def test_import_command_stops_at_disputes_and_writes_the_file_after_adjudication(tmp_path, monkeypatch):
    documents = tmp_path / "documents.parquet"
    DOCUMENTS.to_parquet(documents)
    monkeypatch.setattr(paths, "DOCUMENTS", documents)
    monkeypatch.setattr(paths, "GOLD", tmp_path / "no_gold.parquet")  # a corpus with no gold yet
    folder, output = tmp_path / "round", tmp_path / "labels_own.csv"
    assert cli(["annotate", "export", str(folder), "--collection", "own", "--n", "3", "--stratum", "own_random"]) == 0
    sample = pd.read_csv(folder / "sample.csv")
    assert len(sample) == 3 and (folder / "config.xml").is_file()
    tasks = json.loads((folder / "tasks_a.json").read_text())
    assert {t["data"]["doc_id"] for t in tasks} == set(sample["doc_id"])
    ids = list(sample["doc_id"])
    a = _write(tmp_path, "a.json", _export("a", {i: ["clash"] for i in ids}, sample=sample))
    b = _write(tmp_path, "b.json", _export("b", {**{i: ["clash"] for i in ids}, ids[0]: []}, sample=sample))
    assert cli(["annotate", "import", str(folder), "--a", a, "--b", b, "-o", str(output)]) == 1
    assert not output.exists()  # nothing half-written
    assert list(pd.read_csv(folder / "disputes.csv")["doc_id"]) == [ids[0]]
    adjudication = json.loads((folder / "tasks_adjudicated.json").read_text())
    assert [t["data"]["doc_id"] for t in adjudication] == [ids[0]]
    # the adjudicator sees both passes' labels beside the text
    assert adjudication[0]["data"]["labels_a"] == "clash" and adjudication[0]["data"]["labels_b"] == "(none)"
    assert "$labels_a" in (folder / "config_adjudication.xml").read_text()
    adjudicated = [dict(t, id=1, annotations=[]) for t in adjudication]
    adjudicated[0]["annotations"] = [{"id": 5, "result": [], "was_cancelled": False}]  # decided: no type
    adj = _write(tmp_path, "adj.json", adjudicated)
    assert cli(["annotate", "import", str(folder), "--a", a, "--b", b, "--adjudicated", adj, "-o", str(output)]) == 0
    rows = pd.read_csv(output, dtype=str, keep_default_na=False)
    final = rows[rows["pass"] == "adjudicated"].set_index("doc_id")["labels"]
    assert final[ids[0]] == "" and (final.drop(ids[0]) == "clash").all()
    assert set(rows["stratum"]) == {"own_random"}
    assert cli(["annotate", "import", str(folder), "--a", a, "--b", b, "--adjudicated", adj, "-o", str(output)]) == 1
