"""Pure functions of the model: routes, the API's documents and their contract, feeds,
sitemaps, pages as Markdown, redlines, PDFs."""
