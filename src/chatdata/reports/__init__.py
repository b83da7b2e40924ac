"""Reports built from conversations, rendered to Markdown, HTML, PDF and notebooks."""
