"""Observatory views, one module per topic."""
