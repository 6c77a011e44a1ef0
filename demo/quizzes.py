"""Demo quizzes, as plain data, appended to the body of the lessons they belong to.

Kept apart from demo/content.py so the lesson texts and the quizzes can change separately.
"""


def _choice(text: str, correct: bool = False) -> dict:
    return {"text": text, "correct": correct}


def _question(prompt: str, choices: list[dict], explanation: str, kind: str = "single") -> dict:
    return {"prompt": prompt, "kind": kind, "choices": choices, "explanation": explanation}


# (course slug, lesson slug) → the quiz block's value
QUIZZES = {
    ("python-for-data-analysis", "why-pandas"): {
        "title": "Spreadsheet or script?",
        "intro": "Three quick questions to check the idea of this lesson. You can retry.",
        "required": True,
        "pass_mark_percent": 60,
        "max_attempts": 3,
        "time_limit_minutes": None,
        "draw_count": None,
        "shuffle_choices": True,
        "partial_credit": False,
        "show_explanations": True,
        "questions": [
            _question(
                "When does a script beat a spreadsheet?",
                [
                    _choice("When the same clean-up must be repeated every week", True),
                    _choice("When you want to glance at a hundred rows"),
                    _choice("When nobody will ever open the file again"),
                ],
                "A script repeats the same steps exactly and documents what was done.",
            ),
            _question(
                "Which of these describe a DataFrame?",
                [
                    _choice("A table of rows and named columns", True),
                    _choice("Each column holds values of one type", True),
                    _choice("Each cell can hold a formula"),
                ],
                "A DataFrame is a table whose columns each have one type; formulas belong to spreadsheets.",
                kind="multiple",
            ),
            _question(
                "Why create a virtual environment for this course?",
                [
                    _choice("It keeps this course's packages separate from others", True),
                    _choice("It makes Python run faster"),
                ],
                "Packages installed in .venv do not clash with other projects' versions.",
            ),
        ],
    },
    ("postgresql-query-tuning", "explain-analyze-line-by-line"): {
        "title": "Reading a plan",
        "intro": "Two questions drawn from a pool of four, ten minutes on the clock.",
        "required": True,
        "pass_mark_percent": 50,
        "max_attempts": 2,
        "time_limit_minutes": 10,
        "draw_count": 2,
        "shuffle_choices": True,
        "partial_credit": True,
        "show_explanations": True,
        "questions": [
            _question(
                "In which order do you read an EXPLAIN plan?",
                [_choice("From the innermost node outwards", True), _choice("From the top line down")],
                "Child nodes run first and feed their parents, so read from the inside out.",
            ),
            _question(
                "Which numbers does EXPLAIN ANALYZE add to a plain EXPLAIN?",
                [
                    _choice("Actual time", True),
                    _choice("Actual rows", True),
                    _choice("Loops", True),
                    _choice("The index's size on disk"),
                ],
                "ANALYZE runs the query and reports the actual time, rows and loops of each node.",
                kind="multiple",
            ),
            _question(
                "A node estimated 10 rows and returned 50,000. What is the likely cause?",
                [
                    _choice("Stale or missing statistics", True),
                    _choice("Too little shared_buffers"),
                    _choice("A slow disk"),
                ],
                "A wrong row estimate points at the planner's statistics: run ANALYZE or add extended statistics.",
            ),
            _question(
                "What does BUFFERS add to EXPLAIN ANALYZE?",
                [
                    _choice("How many pages came from cache and how many were read", True),
                    _choice("The query's memory limit"),
                ],
                "BUFFERS shows shared hits and reads per node: where the I/O went.",
            ),
        ],
    },
}


def quiz_blocks_for(course_slug: str, lesson_slug: str) -> list[tuple[str, dict]]:
    """The lesson body blocks to append for this lesson: its quiz, or nothing."""
    quiz = QUIZZES.get((course_slug, lesson_slug))
    return [("quiz", quiz)] if quiz else []
