"""Stage ``teach`` (teacher/dvc.yaml): fine-tune one teacher and write its labels for the weak rows it distils.

``python -m analysis.stages.teach train``: the saved model's teacher (fitted on train, cuts
tuned on dev). ``... fold_<k>``: cross-fitted fold ``k``'s (fitted on what that fold's refit
sees, cut at the saved teacher's thresholds).
"""

import json
import sys

import pandas as pd

from analysis import paths
from analysis.documents import ELIGIBILITY_COLUMNS, eligible
from analysis.errors import DataError
from analysis.model import crossfit
from analysis.model.families import FAMILIES, teach
from analysis.model.teacher import read_teachers, write_teacher
from analysis.model.thresholds import threshold_grid
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Fine-tune the teacher of the fit named on the command line; write teacher/labels/<fit>.csv and .json."""
    fit, params, seed = (sys.argv[1:] or ["train"])[0], load_params("train"), load_params("base").seed
    spec, folds = params.spec(), load_params("crossfit").folds
    train, dev = pd.read_parquet(paths.TRAIN_SET), pd.read_parquet(paths.DEV_SET)
    shared = {"spec": spec, "label_model": json.loads(paths.LABEL_MODEL.read_text()), "seed": seed, "fit": fit}
    if fit == "train":
        write_teacher(paths.TEACHER_LABELS, teach(train, dev=dev, grid=threshold_grid(params.threshold_step), **shared))
        return
    if fit not in {f"fold_{k}" for k in range(folds)}:
        raise DataError(f"teach: fit {fit!r} is neither train nor fold_0 .. fold_{folds - 1} (crossfit.folds)")
    documents = pd.read_parquet(paths.DOCUMENTS, columns=["doc_id", "text_group", *ELIGIBILITY_COLUMNS, "text"])
    held = crossfit.held_folds(eligible(documents).sort_values("doc_id", ignore_index=True), folds=folds, seed=seed)
    seen_dev = params.refit_on_dev and FAMILIES[spec.family].refits_on_dev
    frame = crossfit.fold_frame(crossfit.fitted_frame(train, dev, documents, seen_dev=seen_dev), held[int(fit[5:])])
    (saved,) = read_teachers(paths.TEACHER_LABELS, fits=("train",))  # the folds reuse its cuts
    write_teacher(paths.TEACHER_LABELS, teach(frame, thresholds=saved.thresholds, **shared))


if __name__ == "__main__":
    run(main)
