"""The README's library example must keep running (documentation that runs)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_python_example_in_readme_runs() -> None:
    texto = README.read_text(encoding="utf-8")
    inicio = texto.index("```python") + len("```python")
    codigo = texto[inicio : texto.index("```", inicio)]
    salida = io.StringIO()
    with contextlib.redirect_stdout(salida):
        exec(compile(codigo, str(README), "exec"), {})
    assert salida.getvalue().strip() == "1"


def test_readme_opens_with_the_two_commands() -> None:
    bloques = README.read_text(encoding="utf-8").split("```sh")
    assert "vmre simulacro" in bloques[1] and "pytest" in bloques[2]
