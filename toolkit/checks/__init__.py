"""Checks that look at what the stages made and return the problems they find."""
