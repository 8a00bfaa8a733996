"""The one Jinja environment: sandboxed, strict, autoescaped, with French filters and located errors."""

from __future__ import annotations

import contextlib
import functools
import re
import signal
import threading
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from types import TracebackType
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup

from ..errors import ClauseError, Location
from ..pending import MARK, PENDING_CLASS, pending
from ..typography import french_amount, french_date, french_list, french_of
from .options import grouped_siren

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]#|~!^])")
_LINE_START_MARKERS = re.compile(r"^(\s*)([-+>]|\d+[.)])(?=\s|$)", re.MULTILINE)


class UnknownReference(Exception):
    """A clause referred to an id that is not in the document."""


def escape_markdown(value: object) -> object:
    """Make a field's value appear verbatim once the clause's Markdown is parsed; one not yet confirmed becomes a
    span the Word renderer highlights, followed by its mark, or « [à confirmer] » when unknown."""
    mark = pending(value)
    if mark is not None:
        shown = f"{_escaped(str(value))} ({MARK})" if mark.known else f"\\[{MARK}\\]"
        return f"[{shown}]{{.{PENDING_CLASS}}}"
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return _escaped(value)


@functools.lru_cache(maxsize=8192)  # names, amounts and dates recur from document to document
def _escaped(value: str) -> str:
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(value.splitlines()))  # a field stays inline
    return _LINE_START_MARKERS.sub(r"\1\\\2", escaped)


def mark_pending(value: object) -> object:
    """In the Word template's own fields (signature table): a value not yet confirmed followed by its mark."""
    mark = pending(value)
    if mark is None:
        return value
    return f"{value} ({MARK})" if mark.known else f"[{MARK}]"


class _Environment(SandboxedEnvironment):
    """A sandboxed environment that compiles a given source once (docxtpl hands it the same XML at every document)."""

    COMPILED_SOURCES = 256

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.compiled: dict[str, jinja2.Template] = {}

    def from_string(
        self,
        source: str | jinja2.nodes.Template,
        globals: MutableMapping[str, Any] | None = None,
        template_class: type[jinja2.Template] | None = None,
    ) -> jinja2.Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if source not in self.compiled:
            if len(self.compiled) >= self.COMPILED_SOURCES:
                self.compiled.clear()
            self.compiled[source] = super().from_string(source)
        return self.compiled[source]


@functools.cache
def make_environment(markdown: bool) -> SandboxedEnvironment:
    """A sandboxed, strict, autoescaped environment (one of each kind); `markdown` also escapes Markdown syntax."""
    environment = _Environment(
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
        finalize=escape_markdown if markdown else mark_pending,
    )
    environment.globals["range"] = _bounded_range
    environment.filters.update(
        date_fr=french_date, euros=french_amount, liste_fr=french_list, de=french_of, siren=grouped_siren
    )
    return environment


@functools.lru_cache(maxsize=1024)
def compile_template(environment: jinja2.Environment, source: str, shown_as: str, first_line: int) -> jinja2.Template:
    """Compile text found at `first_line` of a file, once per process; syntax errors carry the file's line."""
    padded = "\n" * (first_line - 1) + source
    try:
        code = environment.compile(padded, name=shown_as, filename=shown_as)
    except jinja2.TemplateSyntaxError as exc:
        raise ClauseError(f"syntaxe de champ invalide : {exc.message}", Location(shown_as, exc.lineno)) from None
    return environment.template_class.from_code(environment, code, environment.make_globals(None), None)


MAX_RANGE = 10_000  # a clause loops over a document's lists, never over more
MAX_OUTPUT = 2_000_000  # characters a clause may produce
MAX_SECONDS = 5  # a clause renders in milliseconds; beyond this it loops without end


class _TooLong(Exception):
    """A clause that would produce too much text or take too long: stopped, not waited for."""


def render(template: jinja2.Template, context: Mapping[str, Any], shown_as: str) -> str:
    """Render a compiled template, bounded in size and time; a missing field or a refused operation is located
    in its file."""
    return _located(lambda: _bounded(template, context), shown_as)


def _bounded(template: jinja2.Template, context: Mapping[str, Any]) -> str:
    parts, size = [], 0
    with _deadline(MAX_SECONDS):
        for part in template.generate(context):
            size += len(part)
            if size > MAX_OUTPUT:
                raise _TooLong(f"plus de {MAX_OUTPUT:,} caractères".replace(",", " "))
            parts.append(part)
    return "".join(parts)


@contextlib.contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Interrupt the block after `seconds` (on the main thread, where signals arrive; elsewhere, no limit)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signum: int, _frame: object) -> None:
        raise _TooLong(f"plus de {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _bounded_range(*arguments: int) -> range:
    """range(), refused beyond MAX_RANGE items."""
    numbers = range(*arguments)
    if len(numbers) > MAX_RANGE:
        raise _TooLong(f"range de {len(numbers):,} éléments, {MAX_RANGE:,} au plus".replace(",", " "))
    return numbers


@functools.lru_cache(maxsize=1024)
def _expression(environment: jinja2.Environment, expression: str) -> Callable[..., Any]:
    return environment.compile_expression(expression, undefined_to_none=False)


def evaluate(environment: jinja2.Environment, expression: str, context: Mapping[str, Any], where: Location) -> bool:
    """The truth of a clause's condition; unknown fields are errors at the condition's location."""
    try:
        return bool(_expression(environment, expression)(**context))
    except jinja2.TemplateSyntaxError as exc:
        raise ClauseError(f"condition invalide « {expression} » : {exc.message}", where) from None
    except (jinja2.UndefinedError, SecurityError) as exc:
        raise ClauseError(f"condition « {expression} » : {_french(exc)}", where) from None


def _located(action: Callable[[], str], shown_as: str) -> str:
    try:
        return action()
    except jinja2.TemplateSyntaxError as exc:
        raise ClauseError(f"syntaxe de champ invalide : {exc.message}", Location(shown_as, exc.lineno)) from None
    except (jinja2.UndefinedError, SecurityError, UnknownReference, TypeError, OverflowError, _TooLong) as exc:
        raise ClauseError(_french(exc), Location(shown_as, _template_line(exc.__traceback__, shown_as))) from None


def _template_line(traceback: TracebackType | None, shown_as: str) -> int | None:
    line = None
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == shown_as:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def _french(exc: Exception) -> str:
    text = str(exc)
    if isinstance(exc, _TooLong | OverflowError):
        return f"la clause produit trop de texte ou tourne trop longtemps ({text}) : une boucle sans fin ?"
    if isinstance(exc, SecurityError):
        return "opération interdite dans une clause (accès aux internes de Python refusé)."
    if isinstance(exc, UnknownReference):
        return f"renvoi à une clause inconnue « {text} »."
    attribute = re.search(r"has no attribute '([^']+)'", text)
    if attribute:
        return f"le champ « {attribute.group(1)} » n'existe pas (voir clauses/README.md)."
    undefined = re.search(r"'([^']+)' is undefined", text)
    if undefined:
        return f"le champ « {undefined.group(1)} » n'existe pas (voir clauses/README.md)."
    return f"erreur dans un champ : {text}"
