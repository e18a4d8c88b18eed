"""Views of the accompaniment app, by topic. Every view fetches through ``visible_to``."""
