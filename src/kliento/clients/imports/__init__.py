"""Importing clients and purchases from CSV/XLSX files, and exporting them in the same shape.

parsing reads the file, fields maps its columns, values/rows check each cell, clients and
purchases validate every row and then write in one transaction, services ties it to ImportJob.
"""
