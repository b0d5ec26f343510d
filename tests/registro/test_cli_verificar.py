"""La orden ``vmre`` de punta a punta: ``vmre ejemplo --salida`` y ``vmre verificar`` (§12, §14.7)."""

from __future__ import annotations

import json
from pathlib import Path

import herramientas as hr
import pytest
from click.testing import CliRunner, Result

from vmre_crypto.cli import principal
from vmre_crypto.verificador.catalogo import COMPROBACIONES

ARGUMENTOS_EJEMPLO = ["--boletas", "4", "--desafios", "1", "--semilla", "3"]


def _vmre(*argumentos: object) -> Result:
    return CliRunner().invoke(principal, [str(a) for a in argumentos])


@pytest.fixture(scope="module")
def registro_cli(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directorio = tmp_path_factory.mktemp("cli") / "registro"
    resultado = _vmre("ejemplo", *ARGUMENTOS_EJEMPLO, "--salida", directorio)
    assert resultado.exit_code == 0, resultado.output
    assert f"vmre verificar {directorio}" in resultado.stdout
    assert hr.ruta_tablero(directorio).is_file()
    return directorio


def test_ejemplo_y_verificar(registro_cli: Path) -> None:
    resultado = _vmre("verificar", registro_cli)
    assert resultado.exit_code == 0, resultado.output
    renglones = resultado.stdout.strip().splitlines()
    assert len(renglones) == len(COMPROBACIONES) + 1
    assert renglones[-1] == "REGISTRO VÁLIDO: todas las comprobaciones pasan."
    lineas = hr.leer_lineas(registro_cli)
    assert len(hr.posiciones(lineas, "boleta_cifrada")) == 4
    assert len(hr.posiciones(lineas, "boleta_desafiada")) == 1


def test_verificar_json(registro_cli: Path) -> None:
    resultado = _vmre("verificar", registro_cli, "--json", "--procesos", "1")
    assert resultado.exit_code == 0
    datos = json.loads(resultado.stdout)
    assert datos["ok"] is True
    assert [c["id"] for c in datos["checks"]] == [i for i, _ in COMPROBACIONES]
    assert all(c["ok"] for c in datos["checks"])


def test_segundo_ejemplo_en_el_mismo_directorio_se_niega(registro_cli: Path) -> None:
    antes = hr.ruta_tablero(registro_cli).read_bytes()
    resultado = _vmre("ejemplo", *ARGUMENTOS_EJEMPLO, "--salida", registro_cli)
    assert resultado.exit_code == 2
    assert "ya contiene un registro" in resultado.output
    assert hr.ruta_tablero(registro_cli).read_bytes() == antes


def test_el_ejemplo_con_semilla_es_reproducible(registro_cli: Path, tmp_path: Path) -> None:
    resultado = _vmre("ejemplo", *ARGUMENTOS_EJEMPLO, "--salida", tmp_path / "otro")
    assert resultado.exit_code == 0, resultado.output
    assert hr.ruta_tablero(tmp_path / "otro").read_bytes() == hr.ruta_tablero(registro_cli).read_bytes()


def test_verificar_un_registro_manipulado_sale_con_1(registro_cli: Path, tmp_path: Path) -> None:
    lineas = hr.leer_lineas(registro_cli)
    lineas[-1]["objeto"]["resultados"][0]["conteos"][0] += 1
    hr.escribir_lineas(tmp_path, hr.forjar(lineas))
    resultado = _vmre("verificar", tmp_path, "--json", "--procesos", "1")
    assert resultado.exit_code == 1
    datos = json.loads(resultado.stdout)
    assert datos["ok"] is False
    assert [c["id"] for c in datos["checks"] if not c["ok"]] == ["V-A2"]


def test_verificar_sin_registro_sale_con_2(tmp_path: Path) -> None:
    resultado = _vmre("verificar", tmp_path, "--json")
    assert resultado.exit_code == 2
    assert json.loads(resultado.stdout)["error"] == "entrada_ilegible"


def test_procesos_fuera_de_rango(registro_cli: Path) -> None:
    assert _vmre("verificar", registro_cli, "--procesos", "0").exit_code == 2
