"""Checks of a scenario's conflict section: its options, states and preference statements."""
