"""Coproduction's pages, one module per area: `core` (asks, partnerships, profiles, the matrix),
`commissioning` (the commissioners' report and the evidence log of the ten principles); each
further area adds a module of its own beside it."""
