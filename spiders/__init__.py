"""The Scrapy project: one base spider per hiring platform, pipelines and the source registry."""
