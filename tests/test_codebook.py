"""The codebook owns each event type's properties; the rest of the package reads them from there."""

import numpy as np
import pandas as pd

from analysis import codebook
from analysis.model import families, ood
from analysis.params import model as model_params
from analysis.study import figures


def test_military_types_are_a_property_of_the_codebook():
    # civilian harm and negotiation happen outside war too: the out-of-domain checks never count them
    assert set(codebook.EVENT_TYPES) - set(codebook.MILITARY_TYPES) == {"civilian_harm", "negotiation"}
    assert ood.MILITARY_TYPES is codebook.MILITARY_TYPES  # one home, imported


def test_every_type_has_a_definition_in_order():
    assert codebook.EVENT_TYPES == tuple(t.name for t in codebook.CODEBOOK)
    assert all(codebook.DEFINITIONS[t] for t in codebook.EVENT_TYPES)


def test_a_thirteenth_type_gets_a_fourth_row_of_panels(monkeypatch):
    # a type added to the codebook: the per-type figures grow a row and hide the spare panels
    types = (*codebook.EVENT_TYPES, "kidnapping")
    monkeypatch.setattr(figures, "EVENT_TYPES", types)
    table = pd.DataFrame(
        {
            "country": "Iraq",
            "event_type": np.repeat(types, 2),
            "deaths_band": ["0", "1"] * len(types),
            "n_events": 6,
            "mean_sources": 1.5,
            "mean_sources_ci_lower": 1.0,
            "mean_sources_ci_upper": 2.0,
            "spearman_rho": 0.1,
            "spearman_p": 0.5,
        }
    )
    fig = figures.selection(table, level=0.95)
    visible = [ax for ax in fig.axes if ax.get_visible() and ax.get_title()]
    assert len(visible) == 13
    assert visible[-1].get_title().startswith("kidnapping")
    assert sum(not ax.get_visible() for ax in fig.axes) == 3  # a row of four, one used


def test_every_family_of_the_params_is_in_the_registry():
    # train.family is checked against params' list; each name must train and refit through the registry
    assert set(families.FAMILIES) == set(model_params.FAMILIES)
