"""Dev-only records of experiments (``checks/dvc.yaml``): never part of the study's ``dvc repro``, never test."""
