"""The French summary of a build: each document made or kept, failures and incidents, counts and stage times."""

from __future__ import annotations

from .pipeline import BuildResult


def build_summary(result: BuildResult, final: bool, quiet: bool) -> str:
    """The French report of a build: documents, then a table of counts and times."""
    lines = []
    if not quiet:
        for entry in result.built:
            lines.append(f"  produit   {entry.pdf}  (+ .docx, {entry.pages} pages)")
        for entry in result.unchanged:
            version = f", version {entry.version}" if entry.version else ""
            lines.append(f"  inchangé  {entry.pdf}{version}")
    for name, reason in result.failed:
        lines.append(f"  ÉCHEC     {name} : {reason}")
    for incident in result.incidents:
        lines.append(f"  incident  {incident}")
    lines.append(_tally(result, final))
    if result.timings:
        lines.append("Durées : " + " ; ".join(f"{stage} {seconds:.1f} s" for stage, seconds in result.timings.items()))
    return "\n".join(lines)


def _tally(result: BuildResult, final: bool) -> str:
    """« Bilan : 2 version(s) finale(s) produite(s), 3 projet(s) produit(s)… »."""
    finals = [e for e in result.built if e.final]
    kept = [e for e in result.unchanged if e.final]
    parts = [f"{len(finals)} version(s) finale(s) produite(s), {len(kept)} inchangée(s)"] if final else []
    parts.append(
        f"{len(result.built) - len(finals)} projet(s) produit(s), {len(result.unchanged) - len(kept)} inchangé(s)"
    )
    return f"Bilan : {', '.join(parts)}, {len(result.failed)} en échec."
