"""A bilan's computed figures: programmed against realised per action, per axis and per QPV, the rate of completion,
and what each QPV leaves unused once the transfers are made (the carry-over the next year receives)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..pending import marked, total
from .bilan import STATUSES, Bilan
from .programme import AXES, Programme
from .territory import Commune
from .totals import ZERO, QpvShare, QpvTotal, Transfer, balance, programme_totals

HUNDRED = Decimal(100)
TENTH = Decimal("0.1")


def rate(realised: Decimal, programmed: Decimal) -> Decimal | None:
    """Realised as a percentage of programmed, to one decimal (None when nothing was programmed)."""
    if programmed <= 0:
        return None
    return marked((realised * HUNDRED / programmed).quantize(TENTH, rounding=ROUND_HALF_UP), realised, programmed)


def percent(value: Decimal | None) -> str:
    """« 87,4 % », or « — » when there is no rate."""
    if value is None:
        return "—"
    return f"{value:.1f}".replace(".", ",") + " %"


@dataclass(frozen=True)
class QpvPart:
    """One QPV's part of an action: programmed (valued in the avenant) and realised."""

    code: str
    nom: str
    programme: Decimal
    realise: Decimal


@dataclass(frozen=True)
class ActionResult:
    """An action of the programme, numbered as in the avenant, with what it realised."""

    numero: int
    axe: int
    intitule_axe: str
    titre: str
    qpv: tuple[QpvPart, ...]
    programme: Decimal
    realise: Decimal
    statut: str
    commentaire: str

    @property
    def ecart(self) -> Decimal:
        return marked(self.programme - self.realise, self.programme, self.realise)

    @property
    def taux(self) -> str:
        return percent(rate(self.realise, self.programme))


@dataclass(frozen=True)
class AxisResult:
    numero: int
    intitule: str
    programme: Decimal
    realise: Decimal

    @property
    def taux(self) -> str:
        return percent(rate(self.realise, self.programme))


@dataclass(frozen=True)
class QpvResult:
    """One QPV of the convention: available (abatement + carry-over received), programmed, realised, left."""

    code: str
    nom: str
    abattement: Decimal
    report: Decimal
    disponible: Decimal
    programme: Decimal
    realise: Decimal
    ecart: Decimal  # available − realised

    @property
    def taux(self) -> str:
        return percent(rate(self.realise, self.programme))


@dataclass(frozen=True)
class StatusCount:
    statut: str
    nombre: int
    realise: Decimal


@dataclass(frozen=True)
class BilanTotals:
    """The bilan as the document states it, every figure computed from the programme and the realised lines."""

    actions: tuple[ActionResult, ...]
    axes: tuple[AxisResult, ...]
    qpvs: tuple[QpvResult, ...]
    total_abattement: Decimal
    total_report: Decimal
    total_disponible: Decimal
    total_programme: Decimal
    total_realise: Decimal
    transferts: tuple[Transfer, ...]
    reports: tuple[QpvShare, ...]  # what each QPV leaves unused once the transfers are made: carried to N+1
    statuts: tuple[StatusCount, ...]

    @property
    def taux_realisation(self) -> Decimal | None:
        """Realised as a percentage of programmed."""
        return rate(self.total_realise, self.total_programme)

    @property
    def taux(self) -> str:
        return percent(self.taux_realisation)

    @property
    def taux_consommation(self) -> str:
        """Realised as a percentage of the amount available."""
        return percent(rate(self.total_realise, self.total_disponible))

    @property
    def axes_actifs(self) -> tuple[AxisResult, ...]:
        return tuple(a for a in self.axes if a.programme > 0 or a.realise > 0)

    @property
    def ecart_programme(self) -> Decimal:
        """Programmed but not realised."""
        return marked(self.total_programme - self.total_realise, self.total_programme, self.total_realise)

    @property
    def ecart(self) -> Decimal:
        return marked(self.total_disponible - self.total_realise, self.total_disponible, self.total_realise)

    @property
    def report_propose(self) -> Decimal:
        """What is left to carry over to the next year (after transfers between QPV)."""
        return total((share.montant for share in self.reports), ZERO)

    @property
    def depassement(self) -> Decimal:
        return marked(max(-self.ecart, ZERO), self.ecart)

    def report_de(self, code: str) -> Decimal:
        return next((share.montant for share in self.reports if share.code == code), ZERO)


def bilan_totals(bilan: Bilan, programme: Programme, commune: Commune) -> BilanTotals:
    """The bilan over the programme it reports on (actions matched by their number), over the convention's QPV."""
    planned = programme_totals(programme, commune)
    realised = {r.numero: r for r in bilan.realisations}
    actions = []
    for line in planned.actions:
        done = realised.get(line.numero)
        amounts = dict(done.realise) if done else {}
        parts = tuple(QpvPart(q.code, q.nom, q.montant, amounts.get(q.code, ZERO)) for q in line.qpv)
        actions.append(
            ActionResult(
                numero=line.numero,
                axe=line.axe,
                intitule_axe=line.intitule_axe,
                titre=line.titre,
                qpv=parts,
                programme=line.montant_valorise,
                realise=total((p.realise for p in parts), ZERO),
                statut=done.statut if done else "",
                commentaire=done.commentaire if done else "",
            )
        )
    axes = tuple(
        AxisResult(
            n,
            label,
            total((a.programme for a in actions if a.axe == n), ZERO),
            total((a.realise for a in actions if a.axe == n), ZERO),
        )
        for n, label in enumerate(AXES, start=1)
    )
    qpvs = tuple(_qpv(q, actions) for q in planned.qpvs)
    transfers, left = balance(tuple(_as_qpv_total(q) for q in qpvs))
    statuses = tuple(
        StatusCount(s, len(of), total((a.realise for a in of), ZERO))
        for s in STATUSES
        for of in [[a for a in actions if a.statut == s]]
    )
    return BilanTotals(
        actions=tuple(actions),
        axes=axes,
        qpvs=qpvs,
        total_abattement=planned.total_abattement,
        total_report=planned.total_report,
        total_disponible=planned.total_disponible,
        total_programme=total((a.programme for a in actions), ZERO),
        total_realise=total((a.realise for a in actions), ZERO),
        transferts=transfers,
        reports=left,
        statuts=tuple(s for s in statuses if s.nombre),
    )


def _qpv(planned: QpvTotal, actions: list[ActionResult]) -> QpvResult:
    parts = [p for a in actions for p in a.qpv if p.code == planned.code]
    realised = total((p.realise for p in parts), ZERO)
    return QpvResult(
        code=planned.code,
        nom=planned.nom,
        abattement=planned.abattement,
        report=planned.report,
        disponible=planned.disponible,
        programme=total((p.programme for p in parts), ZERO),
        realise=realised,
        ecart=marked(planned.disponible - realised, planned.disponible, realised),
    )


def _as_qpv_total(q: QpvResult) -> QpvTotal:
    """A QPV's realised figures in the shape the balance between QPV works on (realised in place of valued)."""
    return QpvTotal(q.code, q.nom, q.abattement, q.report, q.disponible, q.realise, q.ecart, ())
