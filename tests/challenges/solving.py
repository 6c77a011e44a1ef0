"""Solve the bot check the way the widget does, so tests can post a real solution."""

from django.urls import reverse

import altcha


def challenge_from(client) -> altcha.Challenge:
    """A challenge from our endpoint, as the widget fetches it."""
    return altcha.Challenge.from_dict(client.get(reverse("challenges:altcha_challenge")).json())


def solved(challenge: altcha.Challenge) -> str:
    """The widget's payload for a challenge: brute-force the counter, then encode."""
    solution = altcha.solve_challenge(challenge, timeout=30)
    assert solution is not None
    return altcha.Payload(challenge, solution).to_base64()


def solved_bot_check(client) -> dict:
    """The form data a browser adds once the widget has solved its challenge."""
    return {"bot_check": solved(challenge_from(client))}
