"""Documents -> labels: the codebook's cues, labelling functions, weak labels, annotation samples and gold."""
