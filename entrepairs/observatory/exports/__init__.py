"""Exports of published figures: CSV, XLSX with its codebook, PDF annual reports and the
open-data bundle (Frictionless data package). Every writer reads a ``table.Table`` of figures
already protected by the publishing step: none computes or protects a figure itself."""
