"""Coproduction's pages, one module per area: `core` (asks, partnerships, profiles, the matrix and
the commissioners' overview); each further area adds a module of its own beside it."""
