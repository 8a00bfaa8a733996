"""A copy of the toolkit's clause library and Word template into a project, for a territory that edits its own."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..errors import DataError, Location
from ..inputs.project import TEMPLATE, TOOLKIT


def copy_defaults(folder: Path, toolkit: Path = TOOLKIT) -> list[str]:
    """Copy clauses/ and the Word template into `folder`; refuse to replace a project's own copy."""
    if not (folder / "instances").is_dir():
        raise DataError(
            "ce dossier n'est pas un projet (il n'a pas de dossier instances/) : créez-le d'abord avec « atfpb init ».",
            Location(str(folder)),
        )
    targets = {toolkit / "clauses": folder / "clauses", toolkit / TEMPLATE: folder / TEMPLATE}
    present = [str(target) for target in targets.values() if target.exists()]
    if present:
        raise DataError(
            f"le projet a déjà ses propres clauses ou son modèle ({', '.join(present)}) : rien n'a été copié.",
            Location(str(folder)),
        )
    for source, target in targets.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
    return [str(target.relative_to(folder)) for target in targets.values()]
