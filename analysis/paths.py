"""Every path the package reads or writes, resolved from the package's own location.

Stage modules, tests and notebooks import paths from here instead of spelling
them out, and ``tests/test_paths.py`` checks that ``dvc.yaml`` names the same
files, so a renamed output cannot silently drift from the pipeline.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARAMS = ROOT / "params.yaml"
DVC_YAML = ROOT / "dvc.yaml"  # the study's pipeline
CHECKS_DVC_YAML = ROOT / "checks" / "dvc.yaml"  # dev-only experiment records
BENCHMARK_DVC_YAML = ROOT / "benchmarks" / "dvc.yaml"  # the external yardstick

DATA = ROOT / "data"
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
ANNOTATIONS = ROOT / "annotations" / "labels.csv"
ANNOTATION_SAMPLE = ROOT / "annotations" / "sample.csv"
#: The train-only supplement, in the order its batches were drawn (each excludes the ones before).
ANNOTATION_SUPPLEMENTS = (
    ROOT / "annotations" / "sample_supplement.csv",
    ROOT / "annotations" / "sample_supplement_2.csv",
)
#: The fresh test set (round 3): random, outside every text group drawn before; scored once.
ANNOTATION_FRESH_TEST = ROOT / "annotations" / "sample_test.csv"

# gold
GOLD = PROCESSED / "gold.parquet"
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

# train
MODEL = MODELS / "event_classifier.skops"
THRESHOLDS = TABLES / "thresholds"
TOP_FEATURES = TABLES / "top_features"

# evaluate
TEST_PREDICTIONS = PROCESSED / "test_predictions.parquet"
CLASSIFIER_SCORES = TABLES / "classifier_scores"
CLASSIFIER_SUMMARY = TABLES / "classifier_summary"
CLASSIFIER_HEADLINE = TABLES / "classifier_headline"
CLASSIFIER_PER_TYPE = TABLES / "classifier_per_type"
CLASSIFIER_METRICS = METRICS / "classifier.json"
PLOTS = REPORTING / "plots"
CALIBRATION_CURVE = PLOTS / "calibration.csv"
PR_CURVE = PLOTS / "pr_curve.csv"

# predict
PREDICTIONS = PROCESSED / "predictions.parquet"

# report: figures (.pdf, .png), tables (.csv, .md, .tex), numbers
FIG_VOLUME_MONTHLY = FIGURES / "volume_monthly"
FIG_OUTLET_PROFILES = FIGURES / "outlet_profiles"
FIG_CREDIBILITY_PROFILE = FIGURES / "credibility_profile"
FIG_REPORTING_LAG = FIGURES / "reporting_lag"
FIG_SELECTION = FIGURES / "selection"
FIG_DYNAMICS = FIGURES / "dynamics"
FIG_CLASSIFIER_PERFORMANCE = FIGURES / "classifier_performance"
FIG_CALIBRATION = FIGURES / "calibration"
OUTLET_PROFILES = TABLES / "outlet_profiles"
OUTLET_TESTS = TABLES / "outlet_tests"
CREDIBILITY_PROFILE = TABLES / "credibility_profile"
CREDIBILITY_TESTS = TABLES / "credibility_tests"
LAG_BY_OUTLET = TABLES / "lag_by_outlet"
LAG_BY_TYPE = TABLES / "lag_by_type"
SELECTION_BY_TYPE = TABLES / "selection_by_type"
NUMBERS = REPORTING / "numbers.tex"  # one LaTeX macro per number quoted in prose
NUMBERS_JSON = REPORTING / "numbers.json"  # the same values, for the generated docs

# the checks pipeline (checks/dvc.yaml): dev-only records of experiments, never test
CHECKS = DATA / "checks"
SUPPLEMENT_ON_DEV = CHECKS / "tables" / "supplement_on_dev"
REFIT_ON_DEV = CHECKS / "tables" / "refit_on_dev"
ENCODER_STUDY_DEV = CHECKS / "tables" / "encoder_on_study_dev"

# the external yardstick (benchmarks/dvc.yaml)
BENCHMARK_RAW = RAW / "benchmarks"  # <task>/<split>.tsv
BENCHMARK_RESULTS = REPORTING / "benchmark" / "results.csv"
BENCHMARK_COMPARISON = REPORTING / "benchmark" / "tables" / "benchmark_comparison"
BENCHMARK_FIGURE = REPORTING / "benchmark" / "figures" / "benchmark_score_vs_compute"

# the scale benchmark (benchmarks/bench_scale.py; a script, not a DVC stage)
SCALE_WORK = DATA / "scale"  # synthetic corpora and engine outputs, <size>/...
SCALE_TABLE = REPORTING / "scale" / "scale_benchmark"  # .csv/.md/.tex, read into the README
REPRO_TIMING = REPORTING / "timing" / "repro_timing"  # .csv/.md/.tex, benchmarks/bench_repro.py
MANIFEST = REPORTING / "manifest.json"  # written by `python -m analysis manifest` after dvc repro

# summarize
CORPUS_SUMMARY = TABLES / "corpus_summary"  # .csv, .md, .tex
LEDGER_SUMMARY = TABLES / "ledger_summary"  # .csv, .md, .tex
CLEAN_METRICS = METRICS / "corpus.json"


def raw_file(name: str) -> Path:
    """Return where the pinned source file ``name`` lives once acquired."""
    return RAW / name


def relative(path: Path) -> str:
    """Return ``path`` relative to the project root, in POSIX form (as ``dvc.yaml`` spells it)."""
    return path.resolve().relative_to(ROOT).as_posix()
