"""The site's Jinja templates and static files, shipped in the wheel as board.templates."""
