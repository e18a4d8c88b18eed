"""Importers of the reference territory: INSEE COG, DREES SAE, sector↔commune files from ARS.

Each importer reads and validates every file first (csvfile.CsvFile), then writes in a single
transaction with bulk queries, and returns a Summary. Management commands stay thin.
"""
