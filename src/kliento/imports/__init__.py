"""Importing rows from CSV/XLSX files, and exporting them in the same shape, for any app.

The machinery knows no capability: apps register import/export targets (see `registry`) from
their `AppConfig.ready()`. parsing reads the file, fields maps its columns to a target's fields,
values reads cells, errors collects row errors, engine runs a target's validator and then its
writer in one transaction, jobs/tasks/services run that in the background for the web wizard.
"""
