"""A signed PDF read with pyHanko: each signature (signer, time, integrity, trust, what came after it), the
revisions that follow our own final version, and the active content (JavaScript, launch actions) it must not carry."""

from __future__ import annotations

import functools
import io
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pikepdf
from asn1crypto import x509
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import (
    DEFAULT_DIFF_POLICY,
    FormUpdatingRule,
    GenericFieldModificationRule,
    ModificationLevel,
    SigFieldCreationRule,
    SigFieldModificationRule,
    StandardDiffPolicy,
    SuspiciousModification,
)
from pyhanko.sign.diff_analysis.constants import ACROFORM_EXEMPT_STRICT_COMPARISON
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from ..errors import DataError, Location
from ..reading.lines import UnreadableDocument

CERTIFICATE_SUFFIXES = (".pem", ".crt", ".cer", ".der")
SYSTEM_ROOTS = Path("/etc/ssl/certs/ca-certificates.crt")  # Debian's trusted authorities (ca-certificates)
PARIS = ZoneInfo("Europe/Paris")
_ACTIVE = {"/JS": "JavaScript", "/JavaScript": "JavaScript", "/Launch": "action de lancement"}
_END_OF_REVISION = re.compile(rb"%%EOF[ \t]*(\r\n|\r|\n)?")
FORGED = "valeur de signature fausse (aucune signature lisible)"
_PARTS = {ModificationLevel.LTA_UPDATES: "horodatage", ModificationLevel.FORM_FILLING: "signatures"}

# pyHanko's own policy, which also lets the first signature mark the form append-only (/SigFlags 1 -> 3): the
# revisions after our final version are judged as pyHanko judges those after a signature.
_AFTER_OUR_VERSION = StandardDiffPolicy(
    global_rules=DEFAULT_DIFF_POLICY.global_rules,
    form_rule=FormUpdatingRule(
        field_rules=[SigFieldCreationRule(), SigFieldModificationRule(), GenericFieldModificationRule()],
        ignored_acroform_keys=ACROFORM_EXEMPT_STRICT_COMPARISON | {"/SigFlags"},
    ),
)

for _name in ("pyhanko", "pyhanko_certvalidator"):  # a forged file is reported in French, never as a logged traceback
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False


@dataclass(frozen=True)
class SignatureCheck:
    """One filled signature field: who signed and when, and what its validation says (in French when wrong)."""

    field: str
    signer: str
    signed_at: str  # « 28/11/2026 à 21:55 (heure de Paris) », or ''
    valid: bool  # the signed bytes are intact and the signature value is the signer certificate's
    trusted: bool  # the certificate chains to a trusted authority
    problem: str  # what went wrong, '' when nothing did
    revision: int = -1  # the file revision the signature closes (-1: not a readable signature)


@dataclass(frozen=True)
class SignedFile:
    """A PDF's signatures in signing order (unreadable ones last) and its number of revisions."""

    signatures: tuple[SignatureCheck, ...]
    revisions: int


@functools.cache
def load_trust_roots(folder: Path | None) -> tuple[x509.Certificate, ...]:
    """The authorities to trust: a folder's certificates (PEM or DER), else the system's; a French error if none."""
    files = [SYSTEM_ROOTS] if folder is None else _certificate_files(folder)
    if not files:
        raise DataError(
            "aucun certificat (.pem, .crt, .cer, .der) dans ce dossier de confiance.", Location(str(folder))
        )
    try:
        return tuple(load_certs_from_pemder([str(p) for p in files if p.is_file()]))
    except (ValueError, TypeError, OSError) as exc:
        raise DataError(f"certificat illisible ({exc}).", Location(str(folder or SYSTEM_ROOTS))) from None


def _certificate_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in CERTIFICATE_SUFFIXES) if folder.is_dir() else []


def read_signatures(path: Path, trust_roots: Sequence[x509.Certificate]) -> SignedFile:
    """Every filled signature field validated, in signing order; a forged or damaged value says so."""
    context = ValidationContext(trust_roots=list(trust_roots), allow_fetching=False)
    try:
        with open(path, "rb") as handle:
            reader = PdfFileReader(handle, strict=False)
            embedded, broken = _embedded(reader)
            last = max((s.signed_revision for s in embedded), default=-1)
            checks = [_check(s, context, s.signed_revision == last) for s in embedded]
            return SignedFile(tuple(checks + broken), reader.xrefs.total_revisions)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UnreadableDocument(f"PDF illisible ({exc}).", Location(str(path))) from None


def _embedded(reader: PdfFileReader) -> tuple[list[EmbeddedPdfSignature], list[SignatureCheck]]:
    """The readable signatures in signing order, and a failed check for each field whose value is no signature."""
    readable, broken = [], []
    for name, _value, field in enumerate_sig_fields(reader, filled_status=True):
        try:
            readable.append(EmbeddedPdfSignature(reader, field, name))
        except Exception:  # noqa: BLE001 - any forged value: reported as such, never a crash
            broken.append(
                SignatureCheck(name, "", "", False, False, "valeur de signature fausse (aucune signature lisible)")
            )
    return sorted(readable, key=lambda s: s.signed_revision), broken


def _check(signature: EmbeddedPdfSignature, context: ValidationContext, last: bool) -> SignatureCheck:
    field = signature.field_name
    try:
        status = validate_pdf_signature(signature, context)
    except Exception as exc:  # noqa: BLE001 - a signature value that does not validate at all: reported
        return SignatureCheck(field, "", "", False, False, f"signature fausse ou illisible ({type(exc).__name__})")
    cert = status.signing_cert
    signer = str(cert.subject.native.get("common_name", "")) if cert is not None else ""
    valid = bool(status.intact and status.valid)
    problem = "" if valid else "signature invalide : le contenu signé a changé, ou elle n'est pas celle du certificat"
    if valid and not _only_signatures_after(status, last):
        problem = "le document a été modifié après cette signature (autre chose que les signatures suivantes)"
    return SignatureCheck(
        field,
        signer,
        _moment(status.signer_reported_dt),
        valid,
        bool(status.trusted),
        problem,
        signature.signed_revision,
    )


def _moment(moment: datetime | None) -> str:
    return moment.astimezone(PARIS).strftime("%d/%m/%Y à %H:%M (heure de Paris)") if moment else ""


def _only_signatures_after(status: PdfSignatureStatus, last: bool) -> bool:
    """Nothing but later signatures came after this one (the last one covers the whole file)."""
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    level = status.modification_level
    return not last and level is not None and level <= ModificationLevel.FORM_FILLING


def revision_ends(data: bytes) -> list[int]:
    """Where each revision of a PDF may end: after every end-of-file marker (and its line break)."""
    return [match.end() for match in _END_OF_REVISION.finditer(data)]


def revision_count(data: bytes) -> int:
    """How many revisions (the original and its incremental updates) a PDF holds."""
    try:
        return PdfFileReader(io.BytesIO(data), strict=False).xrefs.total_revisions
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def changes_after(path: Path, revisions: int) -> str:
    """What was changed after the first `revisions` revisions, in French: '' for nothing, else signatures only
    (« signatures ») or anything more (« autres modifications : … »)."""
    try:
        with open(path, "rb") as handle:
            reader = PdfFileReader(handle, strict=False)
            if reader.xrefs.total_revisions <= revisions:
                return ""
            result = _AFTER_OUR_VERSION.review_file(reader, revisions - 1)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UnreadableDocument(f"PDF illisible ({exc}).", Location(str(path))) from None
    if isinstance(result, SuspiciousModification):
        return "autres modifications : contenu, pages ou objets changés"
    level = result.modification_level
    return _PARTS.get(level, "autres modifications : annotations ou contenu") if level else ""


def active_content(path: Path) -> tuple[str, ...]:
    """The JavaScript and launch actions a PDF carries (none in a document to sign and archive)."""
    found: set[str] = set()
    try:
        with pikepdf.open(path) as pdf:
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Dictionary):
                    found.update(name for key, name in _ACTIVE.items() if key in obj or obj.get("/S") == key)
            names = pdf.Root.get("/Names")
            if names is not None and "/JavaScript" in names:
                found.add("JavaScript")
    except (pikepdf.PdfError, OSError, ValueError) as exc:
        raise UnreadableDocument(f"PDF illisible ({exc}).", Location(str(path))) from None
    return tuple(sorted(found))
