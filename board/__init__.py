"""rcjobs: models, storage, normalizer, web app and CLI."""
