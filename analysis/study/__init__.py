"""Documents and predictions -> the study's analyses, tables, figures and quoted numbers."""
