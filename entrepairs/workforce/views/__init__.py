"""Workforce views, by topic (peers and dashboards, contracts, charters, trainings, …)."""
