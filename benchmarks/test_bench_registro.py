"""Verificación completa de un registro publicado pequeño (``verificar_registro``, 1 proceso).

El registro (5 boletas gubernatura-10, ceremonia real 5/3, descifrado por los custodios 1, 2
y 3) se escribe una vez por sesión con ``escenario.escribir_registro``, fuera de lo medido.
La cifra por boleta con un registro grande y la aceleración con 2 procesos las da
``python -m benchmarks`` (``verify_record_ballot_pe``, ``verify_record_speedup_2_procesos``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks import escenario as esc
from vmre_crypto import ARCHIVO_TABLERO
from vmre_crypto.verificador.verificar import verificar_registro

BOLETAS_REGISTRO = 5


@pytest.fixture(scope="session")
def registro_pequeno(gubernatura: esc.Eleccion, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    directorio = tmp_path_factory.mktemp("registro") / "registro"
    conteos = esc.escribir_registro(gubernatura, directorio, BOLETAS_REGISTRO)
    return directorio, conteos


def test_verificar_registro_5_boletas(anotar: Any, registro_pequeno: tuple[Path, Any]) -> None:
    directorio, conteos = registro_pequeno
    assert (directorio / ARCHIVO_TABLERO).is_file()
    informe = anotar.pedantic(verificar_registro, args=(directorio,), kwargs={"procesos": 1}, rounds=3)
    assert informe.ok, informe.como_texto()
    revisados = {c["id"]: c["revisados"] for c in informe.como_dict()["checks"]}
    assert revisados["V-C4"] == BOLETAS_REGISTRO  # boletas depositadas
    assert revisados["V2"] == esc.CUSTODIOS
    assert revisados["V10"] == 10  # una contienda de 10 opciones
    assert conteos == {1: {o: int(o <= BOLETAS_REGISTRO) for o in range(1, 11)}}
