"""The demo's own career sites: postings written for rcjobs, served on loopback by `rcjobs demo`."""
