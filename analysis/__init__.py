"""Study of conflict reporting: corpus, event-type classifier and reporting analyses."""

__version__ = "0.1.0"
