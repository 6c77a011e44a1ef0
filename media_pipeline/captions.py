"""WebVTT caption files: checked on upload so a player never gets a broken track."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

MAX_CAPTION_BYTES = 2 * 1024 * 1024
_TIMING = re.compile(
    r"^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})\s+-->\s+(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})(?:\s+.*)?$"
)


def _seconds(hours: str | None, minutes: str, seconds: str, millis: str) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def webvtt_problem(data: bytes) -> str | None:
    """Why `data` is not a usable WebVTT file, or None if it is."""
    if not data:
        return "The caption file is empty."
    if len(data) > MAX_CAPTION_BYTES:
        return "The caption file is larger than 2 MB."
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "Caption files must be UTF-8 text."
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = lines[0]
    if not (first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))):
        return 'This is not a WebVTT file: the first line must be "WEBVTT" (SRT files need converting).'
    cues = 0
    for number, line in enumerate(lines[1:], start=2):
        if "-->" not in line:
            continue
        match = _TIMING.match(line.strip())
        if not match:
            return f"Line {number}: a cue timing must look like 00:00:01.000 --> 00:00:04.000."
        groups = match.groups()
        if _seconds(*groups[4:]) < _seconds(*groups[:4]):
            return f"Line {number}: the cue ends before it starts."
        cues += 1
    if cues == 0:
        return "The caption file has no cues."
    return None


def validate_webvtt(uploaded) -> None:
    """Form/model validator for an uploaded caption file."""
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    data = uploaded.read(MAX_CAPTION_BYTES + 1)
    uploaded.seek(position)
    problem = webvtt_problem(data)
    if problem:
        raise ValidationError(problem, code="invalid_webvtt")
