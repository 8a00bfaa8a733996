"""The French summary of a build: each document made or kept, failures and incidents, counts and stage times; for
a build of several projects, each project's, then the totals."""

from __future__ import annotations

import json

from ..errors import AtfpbError
from ..manifest import as_dict
from .projects import BuildResult, RunResult


def build_summary(result: BuildResult, final: bool, quiet: bool) -> str:
    """The French report of a build: documents, then a table of counts and times."""
    lines = _documents(result, quiet)
    for incident in result.incidents:
        lines.append(f"  incident  {incident}")
    lines.append(_tally(result, final))
    if result.timings:
        lines.append(_durations(result.timings))
    return "\n".join(lines)


def projects_summary(run: RunResult, final: bool, quiet: bool) -> str:
    """The French report of a build of several projects: each project's documents and counts (or its error), the
    run's incidents, then the totals and the stage times of the whole run."""
    lines = []
    for project, outcome in run.outcomes:
        if isinstance(outcome, AtfpbError):
            lines.append(f"Projet « {project.root} » : arrêté par une erreur (voir ci-dessous).")
            continue
        lines.append(f"Projet « {project.root} » :")
        lines += _documents(outcome, quiet)
        lines.append("  " + _tally(outcome, final))
    lines += [f"  incident  {incident}" for incident in run.incidents]
    results = [outcome for _project, outcome in run.outcomes if not isinstance(outcome, AtfpbError)]
    total = BuildResult(
        tuple(e for r in results for e in r.built),
        tuple(e for r in results for e in r.unchanged),
        tuple(f for r in results for f in r.failed),
    )
    stopped = len(run.outcomes) - len(results)
    lines.append(f"Total ({len(run.outcomes)} projets, {stopped} arrêté(s) par une erreur) : {_counts(total, final)}.")
    if run.timings:
        lines.append(_durations(run.timings))
    return "\n".join(lines)


def projects_json(run: RunResult) -> str:
    """Each project's documents produced (its manifest entries), or its error, for a program."""
    projects = [
        {"projet": str(project.root), "erreur": str(outcome)}
        if isinstance(outcome, AtfpbError)
        else {"projet": str(project.root), "documents": [as_dict(e) for e in outcome.built]}
        for project, outcome in run.outcomes
    ]
    return json.dumps({"projets": projects}, ensure_ascii=False, indent=2)


def _durations(timings: dict[str, float]) -> str:
    return "Durées : " + " ; ".join(f"{stage} {seconds:.1f} s" for stage, seconds in timings.items())


def _documents(result: BuildResult, quiet: bool) -> list[str]:
    """A line per document made or kept (unless quiet), then one per document that failed."""
    lines = []
    if not quiet:
        for entry in result.built:
            lines.append(f"  produit   {entry.pdf}  (+ .docx, {entry.pages} pages)")
        for entry in result.unchanged:
            version = f", version {entry.version}" if entry.version else ""
            lines.append(f"  inchangé  {entry.pdf}{version}")
    for name, reason in result.failed:
        lines.append(f"  ÉCHEC     {name} : {reason}")
    return lines


def _tally(result: BuildResult, final: bool) -> str:
    return f"Bilan : {_counts(result, final)}."


def _counts(result: BuildResult, final: bool) -> str:
    """« 2 version(s) finale(s) produite(s), 3 projet(s) produit(s)… »."""
    finals = [e for e in result.built if e.final]
    kept = [e for e in result.unchanged if e.final]
    parts = [f"{len(finals)} version(s) finale(s) produite(s), {len(kept)} inchangée(s)"] if final else []
    parts.append(
        f"{len(result.built) - len(finals)} projet(s) produit(s), {len(result.unchanged) - len(kept)} inchangé(s)"
    )
    return f"{', '.join(parts)}, {len(result.failed)} en échec"
