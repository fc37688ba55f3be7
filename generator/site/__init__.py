"""The one stage that knows the site engine: builds each language with it, adds policygen's own
files, and swaps the result into place."""
