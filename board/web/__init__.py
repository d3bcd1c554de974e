"""The public site: searches and listings, postings, institutions, feeds, the API, health and
metrics, one module per area (each a blueprint or a register function). The application that
puts them together with the editor's, the submissions' and the accounts' areas is board.app."""
