"""The editor's dashboard: moderation, corrections, source health."""
