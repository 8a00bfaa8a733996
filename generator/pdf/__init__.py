"""PDF stages: LibreOffice conversion, finishing (metadata, XMP, signature fields), inspection for verify."""
