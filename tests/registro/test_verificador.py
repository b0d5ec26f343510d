"""El verificador sobre el registro de muestra: informe, forma del JSON, paralelismo y entradas ilegibles."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import herramientas as hr
import pytest
from click.testing import CliRunner

from vmre_crypto.cli import principal
from vmre_crypto.serializacion import VERSION_ESPECIFICACION
from vmre_crypto.verificador import verificar as modulo_verificar
from vmre_crypto.verificador.catalogo import COMPROBACIONES
from vmre_crypto.verificador.verificar import ErrorEntrada, verificar_registro

IDS = [ident for ident, _ in COMPROBACIONES]
LLAVES_CHECK = {"id", "descripcion", "ok", "revisados", "fallas", "total_fallas"}


def _vmre(*argumentos: str) -> tuple[int, str, str]:
    resultado = CliRunner().invoke(principal, [str(a) for a in argumentos])
    if resultado.exception is not None and not isinstance(resultado.exception, SystemExit):
        raise resultado.exception
    return resultado.exit_code, resultado.stdout, resultado.stderr


# -- el registro válido -----------------------------------------------------------------------------
def test_la_muestra_pasa_todas_las_comprobaciones(muestra: hr.RegistroMuestra) -> None:
    informe = hr.verificar(muestra.directorio)
    assert informe.ok and informe.fallidas() == []
    datos = informe.como_dict()
    revisados = {c["id"]: c["revisados"] for c in datos["checks"]}
    # Cada comprobación revisó algo (ninguna pasa por no haber mirado).
    assert all(n >= 1 for n in revisados.values()), revisados
    lineas = muestra.lineas()
    assert revisados["V-T1"] == len(lineas) == 30
    boletas = len(hr.posiciones(lineas, "boleta_cifrada")) + len(hr.posiciones(lineas, "boleta_desafiada"))
    assert boletas == 10
    for ident in ("V-B1", "V5", "V6", "V7.A", "V7.B", "V-C1", "V-C3", "V7.C", "V12.C"):
        assert revisados[ident] == boletas, ident
    assert revisados["V-C4"] == 8 and revisados["V12"] == 2
    assert revisados["V2"] == 5
    # V-B2 revisa cada selección de cada boleta; V9 y V10 cada opción del escrutinio (10+9+10+4).
    documentos = [lineas[i]["objeto"] for i in hr.posiciones(lineas, "boleta_cifrada")]
    documentos += [lineas[i]["objeto"]["boleta"] for i in hr.posiciones(lineas, "boleta_desafiada")]
    selecciones = sum(len(c["selecciones"]) for d in documentos for c in d["contiendas"])
    assert revisados["V-B2"] == selecciones
    assert revisados["V9"] == revisados["V10"] == 33


def test_la_muestra_tiene_los_tres_estilos(muestra: hr.RegistroMuestra) -> None:
    lineas = muestra.lineas()
    depositadas = {lineas[i]["objeto"]["estilo"] for i in hr.posiciones(lineas, "boleta_cifrada")}
    assert depositadas == {"CHIH", "JAL", "ZAC"}


def test_salida_0_en_texto_con_una_linea_por_comprobacion(muestra: hr.RegistroMuestra) -> None:
    codigo, salida, _ = _vmre("verificar", muestra.directorio, "--procesos", "1")
    assert codigo == 0
    renglones = salida.strip().splitlines()
    assert len(renglones) == len(COMPROBACIONES) + 1
    for renglon, (ident, descripcion) in zip(renglones, COMPROBACIONES, strict=False):
        assert renglon.split()[:2] == ["OK", ident]
        assert descripcion in renglon and "0 fallas" in renglon
    assert renglones[-1].startswith("REGISTRO VÁLIDO")


def test_forma_del_informe_json(muestra: hr.RegistroMuestra) -> None:
    codigo, salida, _ = _vmre("verificar", muestra.directorio, "--json", "--procesos", "1")
    assert codigo == 0
    datos = json.loads(salida)
    assert set(datos) == {"ok", "version", "checks"}
    assert datos["ok"] is True and datos["version"] == VERSION_ESPECIFICACION == "vmre-1.0"
    assert [c["id"] for c in datos["checks"]] == IDS
    for check, (ident, descripcion) in zip(datos["checks"], COMPROBACIONES, strict=True):
        assert set(check) == LLAVES_CHECK
        assert check["descripcion"] == descripcion
        assert check["ok"] is True and check["fallas"] == [] and check["total_fallas"] == 0
        assert isinstance(check["revisados"], int) and check["revisados"] > 0, ident


def test_informe_con_fallas_en_json_y_en_texto(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    lineas = muestra.lineas()
    acta = lineas[-1]["objeto"]
    acta["boletas_desafiadas"] += 1
    hr.escribir_lineas(tmp_path, hr.forjar(lineas))
    codigo, salida, _ = _vmre("verificar", tmp_path, "--json", "--procesos", "1")
    assert codigo == 1
    datos = json.loads(salida)
    assert datos["ok"] is False
    por_id = {c["id"]: c for c in datos["checks"]}
    assert [i for i, c in por_id.items() if not c["ok"]] == ["V-A2"]
    (falla,) = por_id["V-A2"]["fallas"]
    assert set(falla) == {"objeto", "motivo", "mensaje"}
    assert falla["motivo"] == "acta_computo"
    assert falla["objeto"] == {"linea": len(lineas), "campo": "boletas_desafiadas"}
    assert por_id["V-A2"]["total_fallas"] == 1
    codigo, salida, _ = _vmre("verificar", tmp_path, "--procesos", "1")
    assert codigo == 1
    renglones = salida.strip().splitlines()
    assert sum(r.startswith("FALLA") for r in renglones) == 1
    assert any(r.strip().startswith("· [acta_computo]") and "campo=boletas_desafiadas" in r for r in renglones)
    assert renglones[-1] == "REGISTRO INVÁLIDO: fallan V-A2."


# -- paralelismo: el informe no depende del número de procesos ----------------------------------------------
def _registro_con_fallas(muestra: hr.RegistroMuestra, destino: Path) -> Path:
    """Fallas repartidas entre varias boletas: duplicada, firma ajena y una prueba alterada."""
    lineas = muestra.lineas()
    depositadas = hr.posiciones(lineas, "boleta_cifrada")
    lineas[depositadas[1]]["objeto"]["firma"] = copy.deepcopy(lineas[depositadas[0]]["objeto"]["firma"])
    prueba = lineas[depositadas[4]]["objeto"]["contiendas"][0]["selecciones"][2]["prueba"]
    prueba["retos"][0] = hr.mas_uno_q(prueba["retos"][0])
    duplicada = copy.deepcopy(lineas[depositadas[6]])
    duplicada["entrada"]["tiempo"] = lineas[depositadas[-1]]["entrada"]["tiempo"]
    lineas.insert(depositadas[-1] + 1, duplicada)
    return hr.escribir_lineas(destino, hr.forjar(lineas))


@pytest.mark.parametrize("caso", ["valido", "con_fallas"])
def test_procesos_1_y_2_dan_el_mismo_json(muestra: hr.RegistroMuestra, tmp_path: Path, caso: str) -> None:
    directorio = muestra.directorio if caso == "valido" else _registro_con_fallas(muestra, tmp_path)
    salidas = {}
    for procesos in (1, 2):
        codigo, salida, _ = _vmre("verificar", directorio, "--json", "--procesos", str(procesos))
        assert codigo == (0 if caso == "valido" else 1)
        salidas[procesos] = salida
    assert salidas[1] == salidas[2]
    if caso == "con_fallas":
        fallidas = {c["id"] for c in json.loads(salidas[1])["checks"] if not c["ok"]}
        assert {"V-C1", "V5", "V7.C", "V-B2", "V-C4", "V8"} <= fallidas


def test_lotes_pequenos_con_varios_procesos_dan_el_mismo_informe(
    muestra: hr.RegistroMuestra, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Con lotes de 3 boletas, los lotes se reparten de verdad entre procesos y se combinan en orden."""
    directorio = _registro_con_fallas(muestra, tmp_path)
    referencia = verificar_registro(directorio, 1).como_json()
    monkeypatch.setattr(modulo_verificar, "TAMANO_LOTE", 3)
    for procesos in (1, 2, 3):
        assert verificar_registro(directorio, procesos).como_json() == referencia, procesos


# -- entradas ilegibles: salida 2 ---------------------------------------------------------------------
def test_directorio_vacio(tmp_path: Path) -> None:
    with pytest.raises(ErrorEntrada):
        hr.verificar(tmp_path)
    codigo, salida, error = _vmre("verificar", tmp_path, "--procesos", "1")
    assert codigo == 2 and salida == "" and "ERROR" in error
    codigo, salida, _ = _vmre("verificar", tmp_path, "--json", "--procesos", "1")
    assert codigo == 2
    datos = json.loads(salida)
    assert datos["ok"] is False and datos["error"] == "entrada_ilegible" and "tablero.jsonl" in datos["mensaje"]


def test_directorio_inexistente(tmp_path: Path) -> None:
    codigo, _, _ = _vmre("verificar", tmp_path / "no-existe", "--procesos", "1")
    assert codigo == 2


def test_linea_que_no_es_json(copia: Path) -> None:
    ruta = hr.ruta_tablero(copia)
    texto = ruta.read_text(encoding="utf-8").splitlines(keepends=True)
    texto[12] = "esto no es JSON\n"
    ruta.write_text("".join(texto), encoding="utf-8")
    codigo, salida, _ = _vmre("verificar", copia, "--json", "--procesos", "1")
    assert codigo == 2
    assert "13" in json.loads(salida)["mensaje"]


def test_linea_vacia_al_final(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    hr.ruta_tablero(tmp_path).write_text(muestra.texto() + "\n", encoding="utf-8")
    codigo, _, _ = _vmre("verificar", tmp_path, "--procesos", "1")
    assert codigo == 2


def test_linea_que_no_es_un_objeto_entrada_objeto(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    texto = muestra.texto().splitlines(keepends=True)
    texto.insert(5, '{"entrada":{}}\n')
    hr.ruta_tablero(tmp_path).write_text("".join(texto), encoding="utf-8")
    codigo, _, _ = _vmre("verificar", tmp_path, "--procesos", "1")
    assert codigo == 2


def test_configuracion_que_no_se_decodifica(muestra: hr.RegistroMuestra, tmp_path: Path) -> None:
    """Sin configuración no hay nada que verificar: salida 2 (§14.7)."""
    lineas = muestra.lineas()
    lineas[0]["objeto"]["version"] = "vmre-9.9"
    hr.escribir_lineas(tmp_path, hr.forjar(lineas))
    codigo, _, _ = _vmre("verificar", tmp_path, "--procesos", "1")
    assert codigo == 2


def test_archivo_vacio_es_registro_incompleto(tmp_path: Path) -> None:
    """Un tablero sin líneas se lee, pero está incompleto: salida 1 con V-T2."""
    hr.ruta_tablero(tmp_path).write_text("", encoding="utf-8")
    informe = hr.verificar(tmp_path)
    assert hr.fallidas(informe) == {"V-T2"}
    (falla,) = informe.fallas("V-T2")
    assert falla.motivo == "registro_incompleto" and falla.objeto["fase"] == "configuracion"
    codigo, _, _ = _vmre("verificar", tmp_path, "--procesos", "1")
    assert codigo == 1
