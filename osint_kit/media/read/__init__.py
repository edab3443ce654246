"""Reading media files: formats, tag tables, the guarded opener, the metadata records."""
