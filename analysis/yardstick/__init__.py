"""The external yardstick (``benchmarks/dvc.yaml``): the classifier family on ConfliBERT's six tasks."""
