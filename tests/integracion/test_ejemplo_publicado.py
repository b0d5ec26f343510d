"""El registro de ejemplo publicado en ``especificacion/ejemplos/`` sigue siendo reproducible y válido.

(a) La misma orden con la que se produjo (``vmre ejemplo --boletas 6 --desafios 2 --semilla
2028 --salida …``) vuelve a dar, byte por byte, el ``tablero.jsonl`` guardado.  (b) El
verificador acepta el registro guardado y su informe es exactamente el guardado
(``informe-verificador.json`` e ``informe-verificador.txt``), tanto en proceso como con la
orden ``vmre verificar``.  Si un cambio intencional en la biblioteca cambia bytes publicados,
hay que regenerar el ejemplo con las órdenes de ``especificacion/ejemplos/README.md``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from vmre_crypto import ARCHIVO_TABLERO
from vmre_crypto.verificador.verificar import verificar_registro

RAIZ = Path(__file__).resolve().parents[2]
EJEMPLOS = RAIZ / "especificacion" / "ejemplos"
REGISTRO = EJEMPLOS / "registro"
INFORME_JSON = EJEMPLOS / "informe-verificador.json"
INFORME_TXT = EJEMPLOS / "informe-verificador.txt"

#: Los argumentos de ``vmre ejemplo`` con los que se produjo el registro (sin ``--salida``).
ARGUMENTOS_EJEMPLO = ("ejemplo", "--boletas", "6", "--desafios", "2", "--semilla", "2028")


def _vmre(*argumentos: str) -> subprocess.CompletedProcess[bytes]:
    """Corre la línea de órdenes ``vmre`` (``python -m vmre_crypto``) desde la raíz del repositorio."""
    entorno = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(RAIZ), os.environ.get("PYTHONPATH")]))}
    return subprocess.run(
        [sys.executable, "-m", "vmre_crypto", *argumentos],
        cwd=RAIZ,
        env=entorno,
        capture_output=True,
        timeout=300,
        check=False,
    )


def test_regenerar_da_el_mismo_tablero(tmp_path: Path) -> None:
    salida = tmp_path / "registro"
    corrida = _vmre(*ARGUMENTOS_EJEMPLO, "--salida", str(salida))
    assert corrida.returncode == 0, corrida.stderr.decode()
    regenerado = (salida / ARCHIVO_TABLERO).read_bytes()
    publicado = (REGISTRO / ARCHIVO_TABLERO).read_bytes()
    assert len(regenerado) == len(publicado)
    assert regenerado == publicado
    assert sorted(p.name for p in salida.iterdir()) == sorted(p.name for p in REGISTRO.iterdir()) == [ARCHIVO_TABLERO]


def test_registro_publicado_verifica_con_el_informe_guardado() -> None:
    informe = verificar_registro(REGISTRO, procesos=1)
    assert informe.ok, informe.como_texto()
    assert informe.como_dict() == json.loads(INFORME_JSON.read_text(encoding="utf-8"))
    assert informe.como_texto() + "\n" == INFORME_TXT.read_text(encoding="utf-8")


def test_vmre_verificar_imprime_el_informe_guardado() -> None:
    texto = _vmre("verificar", str(REGISTRO.relative_to(RAIZ)))
    assert texto.returncode == 0, texto.stderr.decode()
    assert texto.stdout == INFORME_TXT.read_bytes()
    como_json = _vmre("verificar", str(REGISTRO.relative_to(RAIZ)), "--json")
    assert como_json.returncode == 0, como_json.stderr.decode()
    assert como_json.stdout == INFORME_JSON.read_bytes()
