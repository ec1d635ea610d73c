"""Thin entry points, one per DVC stage: read params and inputs, call the library, write outputs."""
