"""The caller's in-site notifications over the API."""
