"""The build: planning from input hashes, the pipeline over worker processes, reviewing documents."""
