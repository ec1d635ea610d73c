"""Labelled documents -> the event-type classifier, its thresholds, scores and predictions."""
