"""The registry of legal references (exact titles, numbers, dates, articles) and their citations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..typography import french_date
from .yaml_reader import read_yaml

KINDS = ("loi", "decret", "code", "texte")


@dataclass(frozen=True)
class LegalReference:
    """One legal text as the conventions cite it."""

    id: str
    type: str
    titre: str
    numero: str = ""
    date: date | None = None
    article: str = ""
    complement: str = ""
    obligatoire: bool = False
    motif: str = ""

    @property
    def citation(self) -> str:
        """The reference as it reads after 'Vu': 'l'article 6 de la loi n° 2014-173 du 21 février 2014 …'."""
        dated = f" du {french_date(self.date)}" if self.date else ""
        if self.type == "code":
            text = f"l'article {self.article} du {self.titre}"
        elif self.type == "loi":
            act = f"la loi n° {self.numero}{dated} {self.titre}"
            text = f"l'article {self.article} de {act}" if self.article else act
        elif self.type == "decret":
            act = f"décret n° {self.numero}{dated} {self.titre}"
            text = f"l'article {self.article} du {act}" if self.article else f"le {act}"
        else:
            signed = f", signé le {french_date(self.date)}" if self.date else ""
            text = f"le {self.titre}{signed}"
        return f"{text}, {self.complement}" if self.complement else text


def load_legal_references(path: Path, shown_as: str) -> tuple[LegalReference, ...]:
    """Read the registry, refusing unknown kinds and duplicate identifiers."""
    references: list[LegalReference] = []
    for item in read_yaml(path, shown_as).items():
        f = item.mapping({"id", "type", "titre"}, {"numero", "date", "article", "complement", "obligatoire", "motif"})
        kind = f["type"].text()
        if kind not in KINDS:
            raise f["type"].error(f"type de texte inconnu « {kind} » (possibles : {', '.join(KINDS)}).")
        reference = LegalReference(
            id=f["id"].text(),
            type=kind,
            titre=f["titre"].text(),
            numero=f["numero"].text() if "numero" in f else "",
            date=f["date"].date() if "date" in f else None,
            article=f["article"].text() if "article" in f else "",
            complement=f["complement"].text() if "complement" in f else "",
            obligatoire=f["obligatoire"].boolean() if "obligatoire" in f else False,
            motif=f["motif"].text() if "motif" in f else "",
        )
        if kind in ("loi", "decret") and not (reference.numero and reference.date):
            raise item.error(f"la référence « {reference.id} » doit avoir un numéro et une date.")
        if kind == "texte" and not reference.motif:
            raise item.error(f"la référence « {reference.id} » doit avoir un « motif » pour être reconnue.")
        if kind == "code" and not reference.article:
            raise item.error(f"la référence « {reference.id} » doit citer un article du code.")
        if any(r.id == reference.id for r in references):
            raise f["id"].error(f"l'identifiant « {reference.id} » est déjà utilisé.")
        references.append(reference)
    return tuple(references)
