"""API views, one module per topic; token management pages in ``tokens``."""
