"""What leaves the pipeline for readers: generated docs and README blocks, and the outputs' manifest."""
