"""The build's environment: a full disk, a read-only folder or missing permissions said in French, with what to do."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import DataError
from ..faults import checkpoint
from ..inputs.project import Project

__all__ = ["checkpoint", "environment_errors"]

_ADVICE = {
    errno.ENOSPC: ("plus d'espace disque", "libérez de la place, puis relancez : rien n'a été abîmé"),
    errno.EDQUOT: ("quota disque atteint", "libérez de la place, puis relancez : rien n'a été abîmé"),
    errno.EROFS: ("dossier en lecture seule", "lancez atfpb sur un dossier où l'on peut écrire (--projet)"),
    errno.EACCES: ("droits insuffisants", "donnez le droit d'écrire sur ce dossier, ou choisissez-en un autre"),
    errno.EPERM: ("opération refusée par le système", "vérifiez les droits sur ce dossier"),
}


@contextmanager
def environment_errors(project: Project) -> Iterator[None]:
    """What the machine refuses (space, permissions) becomes a French message naming the place, never a bug."""
    try:
        yield
    except OSError as exc:
        if exc.errno not in _ADVICE:
            raise
        what, advice = _ADVICE[exc.errno]
        place = exc.filename or project.output
        raise DataError(f"{what} pour écrire « {place} » : {advice}.") from None
