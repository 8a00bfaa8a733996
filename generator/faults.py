"""Fault points: where a test may stop the build as a crash or a signal would (ATFPB_PANNE=étape:SIGNAL)."""

from __future__ import annotations

import os
import signal

FAULT_VARIABLE = "ATFPB_PANNE"  # « placement:KILL », « conversion:TERM », « finition:GROUPE-KILL »…
_SIGNALS = {"KILL": signal.SIGKILL, "TERM": signal.SIGTERM, "INT": signal.SIGINT}


def checkpoint(stage: str) -> None:
    """Stop here, as asked by the environment variable (tests only); otherwise do nothing."""
    wanted = os.environ.get(FAULT_VARIABLE, "")
    point, _, how = wanted.partition(":")
    if point != stage or not how:
        return
    group = how.startswith("GROUPE-")
    number = _SIGNALS[how.removeprefix("GROUPE-")]
    if group:
        os.killpg(os.getpgid(0), number)
    else:
        os.kill(os.getpid(), number)
