"""Every document of a project assembled in memory, nothing written: what `validate` reports of the clauses (a field
or an option no data gives, an article no clause defines), each problem once with its location."""

from __future__ import annotations

from functools import partial

from ..errors import AtfpbError, Collector
from ..inputs.project import Inputs
from ..model.territory import convention_pairs
from .assemble import assemble_avenant, assemble_convention


def assembly_problems(inputs: Inputs) -> list[AtfpbError]:
    """The problems of assembling every convention and avenant of the project (the same clause error once)."""
    territory, problems = inputs.territory, Collector()
    for commune, landlord in convention_pairs(territory, territory.communes):
        problems.attempt(partial(assemble_convention, territory, commune, landlord, inputs.clauses, inputs.references))
        for programme in inputs.programmes or ():
            if (programme.commune, programme.bailleur) == (commune.slug, landlord.slug):
                avenant = partial(assemble_avenant, territory, commune, landlord, programme, inputs.avenant_clauses)
                problems.attempt(partial(avenant, inputs.references))
    return list({str(problem): problem for problem in problems.problems}.values())
