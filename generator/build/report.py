"""French reports on our documents after they leave us: `verify` on one PDF, `status` on a whole project."""

from __future__ import annotations

from pathlib import Path

from ..manifest import Entry
from ..pdf.signatures import SignatureCheck
from .originals import SIGNATURES_ONLY, Lineage, Original


def verify_exit_code(original: Original) -> int:
    """0 for a complete signed original, intact and current; 1 for anything less."""
    return 0 if original.complete else 1


def verification_text(path: Path, original: Original) -> str:
    """What `atfpb verify` prints: archival facts, each signature in signing order, lineage, verdict."""
    facts = original.facts
    lines = [f"{path} : {facts.pages} pages", f"  PDF/A : {_pdfa(original)}", f"  polices : {_fonts(original)}"]
    if original.active:
        lines.append(
            f"  contenu actif : {', '.join(original.active)} — un document à signer et à archiver n'en porte jamais."
        )
    lines.append(f"  champs de signature : {len(facts.fields)}")
    by_field = {s.field: s for s in original.signatures}
    for field in facts.fields:
        state = signature_state(by_field[field.name]) if field.name in by_field else "à signer"
        lines.append(f"    {field.name} (« {field.label} »), page {field.page} : {state}")
    lines += [f"    {s.field} (hors des champs prévus) : {signature_state(s)}" for s in _stray(original)]
    order = [s for s in original.signatures if s.revision >= 0]
    if order:
        lines.append("  ordre des signatures : " + ", ".join(f"{n}. {s.field}" for n, s in enumerate(order, 1)))
    for key in ("/Title", "/Subject", "/Author", "/Keywords", "/CreationDate"):
        lines.append(f"  {key.lstrip('/')} : {facts.metadata.get(key, '—')}")
    lines.append(f"  langue : {facts.language or '—'}")
    lines += _lineage_lines(original)
    lines.append(f"  bilan : {verdict(original)}")
    return "\n".join(lines)


def _pdfa(original: Original) -> str:
    claim = original.facts.pdfa
    if original.active:
        return "non (le fichier contient du contenu actif, interdit en PDF/A)"
    return "PDF/A-" + claim[:-1] + claim[-1].lower() if claim else "non déclaré"


def _fonts(original: Original) -> str:
    fonts = original.facts.fonts
    missing = [name for name, embedded in fonts if not embedded]
    return f"{len(fonts)} police(s), toutes incorporées" if not missing else f"non incorporées : {', '.join(missing)}"


def _stray(original: Original) -> list[SignatureCheck]:
    fields = {f.name for f in original.facts.fields}
    return [s for s in original.signatures if s.field not in fields]


def signature_state(signature: SignatureCheck) -> str:
    """« signé par X le … (certificat reconnu) », or what is wrong with it."""
    if not signature.valid:
        who = f" (au nom de {signature.signer})" if signature.signer else ""
        return f"NON SIGNÉ — {signature.problem}{who}"
    trust = (
        "certificat reconnu"
        if signature.trusted
        else "certificat NON reconnu par les autorités de confiance (voir --confiance DOSSIER)"
    )
    state = f"signé par {signature.signer} le {signature.signed_at} ({trust})"
    return f"{state} — ATTENTION : {signature.problem}" if signature.problem else state


def _lineage_lines(original: Original) -> list[str]:
    lineage = original.lineage
    if lineage is None:
        return ["  manifeste : aucun projet ici (lancez la commande dans le dossier d'un projet, ou --projet DOSSIER)."]
    entry = lineage.entry
    if entry is None:
        return ["  manifeste : ce fichier n'est fait d'aucun document produit par ce projet."]
    if lineage.impostor:
        return [
            f"  manifeste : ce fichier porte l'identifiant de {_named(entry)} mais son contenu a été changé : "
            "ce n'est pas le document produit."
        ]
    lines = [f"  manifeste : {_relation(original, lineage, entry)}"]
    if lineage.successor is not None:
        successor = lineage.successor
        lines.append(
            f"  remplacée par la version {successor.version} ({successor.pdf}, {successor.date}) : "
            "c'est celle-ci qu'il faut faire signer."
        )
    if lineage.changed_inputs:
        lines.append("  données modifiées depuis : " + ", ".join(lineage.changed_inputs))
    return lines


def _relation(original: Original, lineage: Lineage, entry: Entry) -> str:
    if lineage.exact and not original.active:
        return f"conforme à l'entrée {entry.pdf} ({_edition(entry)}, {entry.date})."
    if lineage.exact:
        return f"fichier produit {entry.pdf} ({_edition(entry)}), mais porteur de contenu actif."
    base = f"signé sur {entry.pdf} ({_edition(entry)}, {entry.date}), identique à l'octet près"
    if original.after == SIGNATURES_ONLY:
        return f"{base} ; ajouté depuis : des signatures seulement."
    return f"{base} ; ajouté depuis : {original.after or 'rien'}."


def _edition(entry: Entry) -> str:
    return f"version {entry.version} finale" if entry.final else "projet"


def _named(entry: Entry) -> str:
    return f"{entry.pdf} ({_edition(entry)})"


def verdict(original: Original) -> str:
    """The one-line conclusion: a complete signed original, or what it lacks."""
    if original.complete:
        return "original signé complet : toutes les signatures sont valides et rien d'autre n'a changé."
    return "NON — " + " ; ".join(faults(original) + _waiting(original)) + "."


def _waiting(original: Original) -> list[str]:
    bad = {s.field for s in original.signatures if not s.valid or s.problem}
    waiting = [f for f in original.unsigned if f not in bad]
    return [f"{len(waiting)} signature(s) à recueillir : " + ", ".join(waiting)] if waiting else []


def faults(original: Original) -> list[str]:
    """What is wrong with a PDF as a signed original, beyond signatures still to come."""
    problems = []
    if original.active:
        problems.append("contenu actif")
    lineage = original.lineage
    if lineage is not None and (lineage.entry is None or lineage.impostor or not lineage.revisions):
        problems.append("pas fait sur un document produit par ce projet")
    if lineage is not None and lineage.revisions and lineage.entry is not None and not lineage.entry.final:
        problems.append("fait sur un projet (document de travail), pas sur une version finale")
    if lineage is not None and lineage.successor is not None:
        problems.append(f"version remplacée par la version {lineage.successor.version}")
    if original.after not in ("", SIGNATURES_ONLY):
        problems.append("modifié après notre version")
    bad = [s.field for s in original.signatures if not s.valid or s.problem]
    if bad:
        problems.append("signature(s) en défaut : " + ", ".join(bad))
    untrusted = [s.field for s in original.signatures if s.valid and not s.trusted]
    if untrusted:
        problems.append("certificat(s) non reconnu(s) : " + ", ".join(untrusted))
    if not original.facts.fields:
        problems.append("aucun champ de signature")
    return problems
