"""Every path the package reads or writes, resolved from the package's own location.

Stage modules, tests and notebooks import paths from here instead of spelling
them out, and ``tests/test_paths.py`` checks that ``dvc.yaml`` names the same
files, so a renamed output cannot silently drift from the pipeline.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the package: its code, the study's annotations and results
#: The project a stage runs in: the study (the package's root), or a researcher's corpus alone, a
#: folder of its own with ``params.yaml``, ``dvc.yaml``, ``annotations/own/`` and ``data/``
#: (``own_study/``, docs/data.md). Its stages set ``ANALYSIS_PROJECT`` to that folder.
PROJECT = Path(os.environ["ANALYSIS_PROJECT"]).resolve() if os.environ.get("ANALYSIS_PROJECT") else ROOT
PARAMS = PROJECT / "params.yaml"
DVC_YAML = ROOT / "dvc.yaml"  # the study's pipeline
OWN_STUDY_DVC_YAML = ROOT / "own_study" / "dvc.yaml"  # a researcher's corpus alone, with a pinned classifier
# The checks and the yardstick are DVC repositories of their own (`dvc init --subdir`), so that a
# bare `dvc status`, `dvc checkout` or `dvc exp show` at the root answers about the study alone;
# `cd checks && dvc repro` (or `make checks`) runs them.
CHECKS_DVC_YAML = ROOT / "checks" / "dvc.yaml"  # dev-only experiment records
BENCHMARK_DVC_YAML = ROOT / "benchmarks" / "dvc.yaml"  # the external yardstick
TEACHER_DVC_YAML = ROOT / "teacher" / "dvc.yaml"  # the encoder's teacher labels, fine-tuned once per fit
# its outputs are committed (a fine-tune takes a quarter of an hour on 2 cores); train and crossfit read them
TEACHER_LABELS = ROOT / "teacher" / "labels"

DATA = PROJECT / "data"
RAW = DATA / "raw"
INTERIM = DATA / "interim"
PROCESSED = DATA / "processed"
MODELS = DATA / "models"
REPORTING = DATA / "reporting"
METRICS = REPORTING / "metrics"
FIGURES = REPORTING / "figures"
TABLES = REPORTING / "tables"

# check_params: the whole of params.yaml checked before any stage runs
PARAMS_CHECK = DATA / "params_check.json"

# clean
DOCUMENTS = INTERIM / "documents.parquet"
REPORTS = INTERIM / "reports.parquet"
LEDGER = INTERIM / "ledger.parquet"

# annotations (inputs, committed: ids and labels only)
ANNOTATIONS = ROOT / "annotations" / "labels.csv"  # rounds 1 and 2
ANNOTATIONS_TEST = ROOT / "annotations" / "labels_test.csv"  # round 3: the frozen test set
OWN_ANNOTATIONS = PROJECT / "annotations" / "own"  # a researcher's rounds (annotate import): every CSV here is gold
ANNOTATION_RELABEL = ANNOTATIONS.parent / "relabel_check.csv"  # a blind re-annotation of gold documents (a check)
ANNOTATION_SAMPLE = ROOT / "annotations" / "sample.csv"
#: The train-only supplement, in the order its batches were drawn (each excludes the ones before).
ANNOTATION_SUPPLEMENTS = (
    ROOT / "annotations" / "sample_supplement.csv",
    ROOT / "annotations" / "sample_supplement_2.csv",
)
#: The fresh test set (round 3): random, outside every text group drawn before; scored once.
ANNOTATION_FRESH_TEST = ROOT / "annotations" / "sample_test.csv"
#: The first-report round: events drawn uniformly per collection, the headline of their first report annotated.
ANNOTATION_FIRST_REPORT_SAMPLE = ROOT / "annotations" / "sample_first_reports.csv"
ANNOTATION_FIRST_REPORTS = ROOT / "annotations" / "labels_first_reports.csv"
#: The active-learning rounds: documents drawn where the model was least sure (train only; not a probability sample).
ANNOTATIONS_ACTIVE = ROOT / "annotations" / "labels_active.csv"
ANNOTATION_ACTIVE_SAMPLES = tuple(sorted((ROOT / "annotations").glob("sample_active_*.csv")))  # one per round

# gold
GOLD = PROCESSED / "gold.parquet"
GOLD_DRAWS = PROCESSED / "gold_draws.parquet"  # how each gold document was drawn: its frame and inclusion probability
FIRST_REPORT_GOLD = PROCESSED / "first_report_gold.parquet"  # the first-report round: gold types, inclusion probability
FIRST_REPORT_AGREEMENT = TABLES / "first_report_agreement"
ANNOTATION_AGREEMENT = TABLES / "annotation_agreement"
CODEBOOK_COUNTS = TABLES / "codebook_counts"
GOLD_METRICS = METRICS / "gold.json"

# weak_label
WEAK_LABELS = PROCESSED / "weak_labels.parquet"
LABEL_MODEL = PROCESSED / "label_model.json"  # the LFs that vote
LF_SUMMARY = TABLES / "lf_summary"

# features
TRAIN_SET = PROCESSED / "train_set.parquet"
DEV_SET = PROCESSED / "dev_set.parquet"
TEST_SET = PROCESSED / "test_set.parquet"
DATASET_METRICS = METRICS / "datasets.json"

# acquire_ood: news from outside the conflict corpus (ood.tasks), <task>/<split>.tsv
OOD_RAW = RAW / "ood"

# train (or, for a pinned classifier, pinned_model)
MODEL = MODELS / "event_classifier.skops"  # skops; the encoder family writes safetensors here (persist.load tells)
TRAINING_LABELS = PROCESSED / "training_labels.parquet"  # the labels the model learned from (distilled: the encoder's)
DEV_PREDICTIONS = PROCESSED / "dev_predictions.parquet"  # the train-only model on dev, before any refit
THRESHOLDS = TABLES / "thresholds"
TOP_FEATURES = TABLES / "top_features"
MODEL_CARD = METRICS / "model.json"  # pinned_model: where the pinned classifier came from, its codebook and types

# evaluate: gold dev, where every choice is made (dvc metrics diff shows these)
CLASSIFIER_DEV_SCORES = TABLES / "classifier_dev_scores"
CLASSIFIER_DEV_SUMMARY = TABLES / "classifier_dev_summary"
ERROR_ANALYSIS = TABLES / "error_analysis"
OOD_DEV = TABLES / "ood_dev"
CLASSIFIER_METRICS = METRICS / "classifier.json"
PLOTS = REPORTING / "plots"
CALIBRATION_DEV = PLOTS / "calibration_dev.csv"
PR_CURVE_DEV = PLOTS / "pr_curve_dev.csv"

# behaviour: the CheckList suite (annotations/behaviour.yaml)
BEHAVIOUR_CASES = ROOT / "annotations" / "behaviour.yaml"
BEHAVIOUR = TABLES / "behaviour"
BEHAVIOUR_FAILURES = TABLES / "behaviour_failures"
BEHAVIOUR_METRICS = METRICS / "behaviour.json"

# score_test: the frozen test set, scored only by `python -m analysis score-test` (a frozen DVC
# stage, so `dvc repro` and `dvc exp run` never re-run it). Its outputs are committed to git under
# results/test/ because no experiment may rebuild them; every scoring is logged in docs/decisions.md.
# Not a DVC metric, so that `dvc metrics diff` never shows it while variants are compared.
RESULTS = ROOT / "results"
TEST_RESULTS = RESULTS / "test"
TEST_TABLES = TEST_RESULTS / "tables"
OLD_MODEL_TEST_PREDICTIONS = ROOT / "annotations" / "old_model_test_predictions.csv"
TEST_PREDICTIONS = TEST_RESULTS / "test_predictions.parquet"
CLASSIFIER_SCORES = TEST_TABLES / "classifier_scores"
CLASSIFIER_SUMMARY = TEST_TABLES / "classifier_summary"
CLASSIFIER_HEADLINE = TEST_TABLES / "classifier_headline"
CLASSIFIER_PER_TYPE = TEST_TABLES / "classifier_per_type"
OOD_TEST = TEST_TABLES / "ood_test"
TEST_METRICS = TEST_RESULTS / "test.json"
CALIBRATION_CURVE = TEST_RESULTS / "calibration.csv"
DECISIONS = ROOT / "docs" / "decisions.md"  # where `score-test` logs each scoring

# predict
PREDICTIONS = PROCESSED / "predictions.parquet"

# crossfit (the study) or predict_first_reports (a pinned model): each event's types from its first headline alone
FIRST_REPORT_PREDICTIONS = PROCESSED / "first_report_predictions.parquet"

# crossfit: the random gold sample, each fold predicted by the saved model refitted without it
CROSSFIT_PREDICTIONS = PROCESSED / "crossfit_predictions.parquet"

# report: figures (.pdf, .png), tables (.csv, .md, .tex), numbers
FIG_VOLUME_MONTHLY = FIGURES / "volume_monthly"
FIG_OUTLET_PROFILES = FIGURES / "outlet_profiles"
FIG_CREDIBILITY_PROFILE = FIGURES / "credibility_profile"
FIG_REPORTING_LAG = FIGURES / "reporting_lag"
FIG_SELECTION = FIGURES / "selection"
FIG_DYNAMICS = FIGURES / "dynamics"
FIG_COEF_SOURCES = FIGURES / "coef_sources"
FIG_COEF_FIRST_REPORT = FIGURES / "coef_first_report"
FIG_COEF_CREDIBILITY = FIGURES / "coef_credibility"
FIG_CONVERGENT_VALIDITY = FIGURES / "convergent_validity"
FIG_CLASSIFIER_PERFORMANCE = FIGURES / "classifier_performance"
FIG_CALIBRATION = FIGURES / "calibration"
TYPE_SHARES = TABLES / "type_shares"
TYPE_SHARES_BY_YEAR = TABLES / "type_shares_by_year"
OUTLET_PROFILES = TABLES / "outlet_profiles"
OUTLET_TESTS = TABLES / "outlet_tests"
CREDIBILITY_PROFILE = TABLES / "credibility_profile"
CREDIBILITY_TESTS = TABLES / "credibility_tests"
LAG_BY_OUTLET = TABLES / "lag_by_outlet"
LAG_BY_TYPE = TABLES / "lag_by_type"
SELECTION_BY_TYPE = TABLES / "selection_by_type"
MODEL_SOURCES = TABLES / "model_sources"
MODEL_FIRST_REPORT = TABLES / "model_first_report"
MODEL_CREDIBILITY = TABLES / "model_credibility"
MODEL_FIT = TABLES / "model_fit"
MEASUREMENT_ERROR = TABLES / "measurement_error"
CONVERGENT_VALIDITY = TABLES / "convergent_validity"
WORD_CHECKS = TABLES / "word_checks"
SHARES_SUMMARY = TABLES / "shares_summary"
GOLD_DESIGN = TABLES / "gold_design"
ANNOTATION_PLAN = TABLES / "annotation_plan"
FRAME_COVERAGE = TABLES / "frame_coverage"
SAMPLE_CONSISTENCY = TABLES / "sample_consistency"
RELABEL_CHECK = TABLES / "relabel_check"
MODELS_SUMMARY = TABLES / "models_summary"
NUMBERS = REPORTING / "numbers.tex"  # one LaTeX macro per number quoted in prose
NUMBERS_JSON = REPORTING / "numbers.json"  # the same values, for the generated docs
FINDINGS = METRICS / "findings.json"  # the findings the robustness multiverse compares (a DVC metric)

# the checks pipeline (checks/dvc.yaml): dev-only records of experiments, never test
CHECKS = ROOT / "checks" / "data"  # inside the checks' own DVC repository
SUPPLEMENT_ON_DEV = CHECKS / "tables" / "supplement_on_dev"
DESIGN_COVERAGE = CHECKS / "tables" / "design_coverage"  # the study estimators' coverage, by simulation
DESIGN_SIZE = CHECKS / "tables" / "design_size"  # the group test's size, by simulation
DESIGN_WIDTHS = CHECKS / "tables" / "design_widths"  # interval widths before and after the sampling design
REFIT_ON_DEV = CHECKS / "tables" / "refit_on_dev"
ENCODER_STUDY_DEV = CHECKS / "tables" / "encoder_on_study_dev"
FAMILY_ON_DEV = CHECKS / "tables" / "family_on_dev"
FAMILY_ON_DEV_TYPES = CHECKS / "tables" / "family_on_dev_types"
FAMILY_BY_TYPE = CHECKS / "tables" / "family_by_type"  # each family's out-of-fold scores per type (train + dev)
FAMILY_CHOICE = CHECKS / "tables" / "family_choice"  # the rule's family per type
FAMILY_OOF = CHECKS / "family_by_type_predictions.parquet"  # the out-of-fold probabilities behind them
LEARNING_CURVE = CHECKS / "tables" / "learning_curve"  # dev scores against the gold rounds learnt from
FIG_LEARNING_CURVE = CHECKS / "figures" / "learning_curve"
CHECK_RECORDS = ROOT / "checks" / "records"  # committed records of dev experiments run with `dvc exp run`
MULTIVERSE_RECORDS = CHECK_RECORDS / "multiverse.csv"  # every finding in every variant (`make multiverse`)
MULTIVERSE_QUEUED = CHECK_RECORDS / "multiverse_queued.txt"  # when the variants were queued (UTC)
MULTIVERSE_TIMING = CHECK_RECORDS / "multiverse_timing"  # .csv/.md/.tex: seconds per variant and in all
MULTIVERSE_SURVIVAL = CHECKS / "tables" / "multiverse_survival"  # which findings keep sign and significance
FIG_SPEC_CURVE = CHECKS / "figures" / "spec_curve"  # the findings across the variants

# the external yardstick (benchmarks/dvc.yaml)
BENCHMARK_DATA = ROOT / "benchmarks" / "data"  # inside the yardstick's own DVC repository
BENCHMARK_RAW = BENCHMARK_DATA / "raw"  # <task>/<split>.tsv
BENCHMARK_RESULTS = BENCHMARK_DATA / "results.csv"
BENCHMARK_COMPARISON = BENCHMARK_DATA / "tables" / "benchmark_comparison"
BENCHMARK_FIGURE = BENCHMARK_DATA / "figures" / "benchmark_score_vs_compute"
BENCHMARK_FINETUNE_RESULTS = BENCHMARK_DATA / "finetune_results.csv"  # the fine-tuned encoder family
BENCHMARK_FAMILIES = BENCHMARK_DATA / "tables" / "benchmark_families"

# the scale benchmark (benchmarks/bench_scale.py; a script, not a DVC stage)
SCALE_WORK = DATA / "scale"  # synthetic corpora and engine outputs, <size>/...
SCALE_TABLE = REPORTING / "scale" / "scale_benchmark"  # .csv/.md/.tex, read into the README
REPRO_TIMING = REPORTING / "timing" / "repro_timing"  # .csv/.md/.tex, benchmarks/bench_repro.py
ONNX_TIMING = REPORTING / "timing" / "onnx_inference"  # .csv/.md/.tex, benchmarks/bench_onnx.py
OWN_STUDY_TIMING = REPORTING / "timing" / "own_study_timing"  # benchmarks/bench_own_study.py
MANIFEST = REPORTING / "manifest.json"  # written by `python -m analysis manifest` after dvc repro

# summarize
CORPUS_SUMMARY = TABLES / "corpus_summary"  # .csv, .md, .tex
LEDGER_SUMMARY = TABLES / "ledger_summary"  # .csv, .md, .tex
CLEAN_METRICS = METRICS / "corpus.json"


def raw_file(name: str) -> Path:
    """Return where the pinned source file ``name`` lives once acquired."""
    return RAW / name


def relative(path: Path) -> str:
    """Return ``path`` relative to the package root (outside it: absolute), in POSIX form, as ``dvc.yaml`` spells it."""
    resolved = path.resolve()
    return resolved.relative_to(ROOT).as_posix() if resolved.is_relative_to(ROOT) else resolved.as_posix()
