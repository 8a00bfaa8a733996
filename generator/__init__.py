"""atfpb: assemble, render and check conventions d'utilisation de l'ATFPB."""

__version__ = "0.1.0"
