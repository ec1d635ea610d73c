"""The sampling design on the pipeline's real outputs: its draws, its fractions and the planner's command."""

import ast

import pandas as pd
import pytest

from analysis import paths
from analysis.__main__ import main as cli
from analysis.documents import eligible
from analysis.study import design


def _outputs():
    for path in (paths.GOLD, paths.GOLD_DRAWS, paths.CROSSFIT_PREDICTIONS, paths.DOCUMENTS):
        if not path.is_file():
            pytest.fail(f"{path} is missing: run `make repro` first (the README's test command does)")
    return pd.read_parquet(paths.GOLD), pd.read_parquet(paths.GOLD_DRAWS)


def test_replayed_draws_agree_with_the_design_fractions():
    # the fresh test set's inclusion probability, replayed by the gold stage, is the sampling
    # fraction the estimator uses: n / N over the text groups no earlier round had drawn
    gold, draws = _outputs()
    documents = pd.read_parquet(
        paths.DOCUMENTS, columns=["doc_id", "collection", "text_group", "sealed", "sealed_group"]
    )
    roles = design.design_gold(gold, sample_strata=("fresh_test",))
    fractions = design.sampling_fractions(eligible(documents), roles)
    fresh = draws[draws["stratum"] == "fresh_test"].groupby("collection")["inclusion_probability"].first()
    assert fresh.to_dict() == pytest.approx(fractions.to_dict())
    assert fresh["fakes"] == 1.0  # every FA-KES text group left was drawn: a census
    # every gold document has its draw; cue-drawn strata are marked so
    model_chosen = draws["draw"] == "model:uncertainty"  # the active rounds: no inclusion probability exists
    assert draws.loc[model_chosen, "inclusion_probability"].isna().all()
    probability = draws.loc[~model_chosen, "inclusion_probability"]
    assert len(draws) == len(gold) and probability.between(0, 1, inclusive="right").all()
    assert set(draws.loc[draws["stratum"] == "supplement_territory", "draw"]) == {"cue:territory"}


def test_plan_annotation_draws_what_it_prints_from_the_rest(tmp_path, capsys):
    gold, _ = _outputs()
    out = tmp_path / "plan.csv"
    assert cli(["plan-annotation", "--half-width", "0.02", "--types", "clash", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    counts = ast.literal_eval(printed.split("random text groups to draw per collection: ")[1].strip())
    drawn = pd.read_csv(out)
    assert drawn["collection"].value_counts().to_dict() == {c: n for c, n in counts.items() if n}
    assert counts["fakes"] == 0 and counts["ucdp_syria"] > 0  # FA-KES is complete; Syria's clash is not
    groups = pd.read_parquet(paths.DOCUMENTS, columns=["doc_id", "text_group"]).set_index("doc_id")["text_group"]
    assert not set(groups[drawn["doc_id"]]) & set(gold["text_group"])  # only from the rest
    assert drawn["stratum"].eq("planned_random").all()
    assert cli(["plan-annotation", "--types", "clash", "-o", str(out)]) == 1  # never overwrites a sample
