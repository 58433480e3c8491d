"""Everything that touches torch. Never imports Qt."""
