"""gongwen: scanned Chinese government circulars (公文) into structured, searchable records."""

__version__ = "0.1.0"
