"""The comparison for people (French text, by article) and for programs (JSON)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from ..checks.report import finding_line
from ..typography import french_date
from .align import ADDED, DELETED, MODIFIED, MOVED, Change
from .classify import Concern, short
from .markup import Comment, TrackedChange
from .run import Comparison, Section, Weighed

_VERB = {ADDED: "ajouté", DELETED: "supprimé", MODIFIED: "modifié", MOVED: "déplacé"}
FRAGMENTS = 4  # word changes shown for one modified paragraph


def as_text(comparison: Comparison) -> str:
    """The French report: what changed, article by article; the partner's markup; the redline."""
    lines = [f"Comparaison : {comparison.sent} (envoyé) → {comparison.received} (reçu)"]
    if comparison.subject:
        lines.append(f"Document : {comparison.subject}")
    lines += [f"Note : {note}" for note in comparison.notes]
    lines.append(_summary(comparison))
    for section in comparison.sections:
        lines += _section_lines(section)
    lines += _markup_lines(comparison)
    if comparison.findings:
        lines += ["", "Contrôles du document reçu (absents du document envoyé) :"]
        lines += [f"  {finding_line(f)}" for f in comparison.findings]
    lines += _redline_lines(comparison)
    return "\n".join(lines)


def _summary(comparison: Comparison) -> str:
    if comparison.identical:
        return "Résultat : aucune différence (même texte après normalisation, ni modification suivie ni commentaire)."
    parts = [f"{comparison.changes} différence(s) dans le texte" if comparison.changes else "même texte"]
    if comparison.markup.changes:
        parts.append(f"{len(comparison.markup.changes)} modification(s) suivie(s) en attente")
    if comparison.markup.comments:
        parts.append(f"{len(comparison.markup.comments)} commentaire(s)")
    return "Résultat : " + ", ".join(parts) + "."


def _section_lines(section: Section) -> list[str]:
    required = " (article obligatoire)" if section.required else ""
    lines = ["", f"{section.title}{required}"]
    for item in section.changes:
        lines += _change_lines(item)
    return lines


def _change_lines(item: Weighed) -> list[str]:
    change = item.change
    lines = [f"  {_VERB[change.kind]} — {_where(change)} : {_what(change)}"]
    if change.kind == MODIFIED and change.received and len(change.received.text) > max(40, len(_what(change))):
        lines.append(f"    texte reçu : « {short(change.received.text)} »")
    lines += [f"    {_label(concern)}{concern.text}" for concern in item.concerns]
    return lines


def _where(change: Change) -> str:
    if change.kind == DELETED and change.sent:
        return f"{_place(change.sent.place)} du document envoyé"
    if change.kind == MOVED and change.sent and change.received:
        return f"{_place(change.received.place)} (était {_place(change.sent.place)})"
    return _place(change.unit.place)


def _place(place: Any) -> str:
    """A place without its article (the section says it)."""
    text = str(place)
    return text.split(" (article")[0]


def _what(change: Change) -> str:
    if change.kind == MODIFIED:
        shown = [
            f"« {short(before)} » devient « {short(after)} »"
            if before and after
            else (f"« {short(after)} » ajouté" if after else f"« {short(before)} » supprimé")
            for before, after in change.fragments[:FRAGMENTS]
        ]
        more = len(change.fragments) - FRAGMENTS
        return " ; ".join(shown) + (f" ; et {more} autre(s) changement(s)" if more > 0 else "") or "mise en forme"
    return f"« {short(change.unit.text)} »"


def _label(concern: Concern) -> str:
    return {"donnee": "donnée contredite : ", "signataire": "signataire : ", "obligation": ""}.get(concern.kind, "")


def _markup_lines(comparison: Comparison) -> list[str]:
    lines: list[str] = []
    if comparison.markup.changes:
        lines += ["", "Modifications suivies du document reçu (à accepter ou refuser dans Word ; lues ici acceptées) :"]
        lines += [f"  {_tracked(change)}" for change in comparison.markup.changes]
    if comparison.markup.comments:
        lines += ["", "Commentaires du document reçu :"]
        lines += [f"  {_comment(comment)}" for comment in comparison.markup.comments]
    return lines


def _tracked(change: TrackedChange) -> str:
    dated = _dated(change.date)
    return f"{change.kind} par {change.author}{dated}, {change.place} : « {short(change.text)} »"


def _comment(comment: Comment) -> str:
    dated = _dated(comment.date)
    where = f", {comment.place}" if comment.place else ""
    anchor = f" sur « {short(comment.anchor)} »" if comment.anchor else ""
    return f"{comment.author}{dated}{where}{anchor} : « {short(comment.text)} »"


def _dated(when: str) -> str:
    """« , le 2 mai 2025 » from Word's « 2025-05-02 » ('' when absent or not a date)."""
    try:
        return f", le {french_date(date.fromisoformat(when))}"
    except ValueError:
        return ""


def _redline_lines(comparison: Comparison) -> list[str]:
    redline = comparison.redline
    if redline is None:
        return []
    if redline.path is None:
        return ["", f"Document Word annoté : non produit — {redline.problem}"]
    note = f" ; {redline.note}" if redline.note else ""
    return [
        "",
        f"Document Word annoté : {redline.path} ({redline.insertions} insertion(s), {redline.deletions} "
        f"suppression(s) en modifications suivies, à accepter ou refuser dans Word{note}).",
    ]


def as_json(comparison: Comparison) -> str:
    """The same report for a program."""
    redline = comparison.redline
    content = {
        "sent": comparison.sent,
        "received": comparison.received,
        "document": comparison.subject,
        "identical": comparison.identical,
        "notes": list(comparison.notes),
        "sections": [_section_json(section) for section in comparison.sections],
        "tracked_changes": [_json_of(vars(c)) for c in comparison.markup.changes],
        "comments": [_json_of(vars(c)) for c in comparison.markup.comments],
        "findings": [f.as_dict() for f in comparison.findings],
        "redline": None if redline is None else _json_of(vars(redline)),
    }
    return json.dumps(content, ensure_ascii=False, indent=2)


def _section_json(section: Section) -> dict[str, Any]:
    return {
        "article": section.article,
        "title": section.title,
        "required": section.required,
        "changes": [_change_json(item) for item in section.changes],
    }


def _change_json(item: Weighed) -> dict[str, Any]:
    change = item.change
    return {
        "kind": change.kind,
        "sent": {"text": change.sent.text, "location": _place(change.sent.place)} if change.sent else None,
        "received": {"text": change.received.text, "location": _place(change.received.place)}
        if change.received
        else None,
        "fragments": [{"sent": before, "received": after} for before, after in change.fragments],
        "concerns": [_json_of({**vars(concern), "message": concern.text}) for concern in item.concerns],
    }


def _json_of(values: dict[str, Any]) -> dict[str, Any]:
    """Plain JSON values: places and paths as text, empty fields left out."""
    plain = (int, bool, type(None))
    return {key: value if isinstance(value, plain) else str(value) for key, value in values.items() if value != ""}
