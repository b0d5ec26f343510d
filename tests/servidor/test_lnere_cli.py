"""Órdenes ``vmre lnere comparar / verificar / descargar`` (16.13): códigos de salida 0 / 1 / 2,
mensajes en español, salida JSON, una ejecución real en otro proceso y una descarga de un
servidor HTTP de verdad."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from herramientas import crear_personal, sesion_api
from werkzeug.serving import make_server

from servidor_referencia.bd.base import transaccion
from servidor_referencia.bd.srve import Solicitud
from servidor_referencia.cli_lnere import lnere
from servidor_referencia.dominio.lnere_canonica import registro, serializar
from servidor_referencia.dominio.roles import Rol
from vmre_crypto.cli import principal

BASE = [
    {
        "clave_elector": "GOMZJN90010114HA01",
        "nombres": "Juan Carlos",
        "primer_apellido": "Gómez",
        "segundo_apellido": "",
        "fecha_nacimiento": "1990-01-01",
        "entidad": "14",
        "pais": "US",
        "folio": "VMRE-26-0000001-C",
        "correo": "juan.gomez@ejemplo.org",
        "telefono": "+13125550101",
    },
    {
        "clave_elector": "PRLPMR85031509M002",
        "nombres": "María José",
        "primer_apellido": "Pérez",
        "segundo_apellido": "López",
        "fecha_nacimiento": "1985-03-15",
        "entidad": "09",
        "pais": "ES",
        "folio": "VMRE-26-0000002-K",
        "correo": "mjperez@ejemplo.es",
        "telefono": "+34915550102",
    },
]


def escribir(ruta: Path, entradas: list[dict[str, str]], version: int = 1) -> Path:
    ruta.write_bytes(serializar("electronica", version, [registro(**e) for e in entradas]))
    return ruta


@pytest.fixture
def archivos(tmp_path: Path) -> dict[str, Path]:
    cambiados = [dict(e) for e in BASE]
    cambiados[0]["nombres"] = "Juan Carlas"  # un solo carácter
    del cambiados[1]
    cambiados.append(
        {
            **BASE[0],
            "clave_elector": "ZAPTLU95060714M001",
            "folio": "VMRE-26-0000004-A",
            "fecha_nacimiento": "1995-06-07",
        }
    )
    malo = tmp_path / "malo.jsonl"
    malo.write_bytes(escribir(tmp_path / "x.jsonl", BASE).read_bytes().replace(b'"entidad":"14"', b'"entidad":"33"'))
    return {
        "a": escribir(tmp_path / "a.jsonl", BASE),
        "a2": escribir(tmp_path / "a2.jsonl", list(reversed(BASE))),
        "b": escribir(tmp_path / "b.jsonl", cambiados),
        "malo": malo,
    }


def correr(*argumentos: object) -> Result:
    return CliRunner().invoke(lnere, [str(a) for a in argumentos])


def test_identical_files_exit_0(archivos) -> None:
    r = correr("comparar", archivos["a"], archivos["a2"])
    assert r.exit_code == 0, r.output
    codigo = hashlib.sha256(archivos["a"].read_bytes()).hexdigest()
    assert r.stdout.count(codigo) == 2 and "Resultado: idénticas" in r.stdout


def test_different_files_exit_1_and_list_differences(archivos) -> None:
    r = correr("comparar", archivos["a"], archivos["b"])
    assert r.exit_code == 1, r.output
    assert "Resultado: diferentes" in r.stdout
    assert "Registros agregados en B (1):\n   ZAPTLU95060714M001" in r.stdout
    assert "Registros eliminados de B (1):\n   PRLPMR85031509M002" in r.stdout
    assert "Registros con cambios (1):\n   GOMZJN90010114HA01: nombres" in r.stdout


def test_json_output(archivos) -> None:
    r = correr("comparar", "--json", archivos["a"], archivos["b"])
    assert r.exit_code == 1
    datos = json.loads(r.stdout)
    assert datos["resultado"] == "diferentes" and datos["identicas"] is False
    assert datos["a"]["archivo"] == str(archivos["a"])
    assert datos["agregados"] == ["ZAPTLU95060714M001"] and datos["eliminados"] == ["PRLPMR85031509M002"]
    assert datos["cambiados"] == [{"clave_elector": "GOMZJN90010114HA01", "campos": ["nombres"]}]
    r = correr("comparar", "--json", archivos["a"], archivos["a2"])
    assert r.exit_code == 0 and json.loads(r.stdout)["resultado"] == "idénticas"


def test_header_only_difference(tmp_path, archivos) -> None:
    v2 = escribir(tmp_path / "v2.jsonl", BASE, version=2)
    r = correr("comparar", archivos["a"], v2)
    assert r.exit_code == 1 and "Encabezado distinto: version_corte (1 → 2)" in r.stdout


def test_malformed_or_missing_file_exit_2(archivos, tmp_path) -> None:
    r = correr("comparar", archivos["a"], archivos["malo"])
    assert r.exit_code == 2
    assert "no es un documento canónico de la LNERE" in r.stderr and "Línea 2: la entidad" in r.stderr
    assert r.stdout == ""
    r = correr("comparar", tmp_path / "no-existe.jsonl", archivos["a"])
    assert r.exit_code == 2 and "no se pudo leer el archivo A" in r.stderr
    r = correr("comparar", "--json", archivos["malo"], archivos["a"])
    assert r.exit_code == 2
    error = json.loads(r.stdout)["error"]
    assert error["codigo"] == "documento_lnere_invalido" and error["linea"] == 2
    crlf = tmp_path / "crlf.jsonl"
    crlf.write_bytes(archivos["a"].read_bytes().replace(b"\n", b"\r\n"))
    r = correr("comparar", archivos["a"], crlf)
    assert r.exit_code == 2 and "retorno de carro" in r.stderr
    assert correr("comparar", archivos["a"]).exit_code == 2  # falta un argumento


def test_verify(archivos) -> None:
    codigo = hashlib.sha256(archivos["a"].read_bytes()).hexdigest()
    r = correr("verificar", archivos["a"], "--codigo", codigo.upper())
    assert r.exit_code == 0 and "El código de integridad coincide." in r.stdout
    otro = codigo[:-1] + ("0" if codigo[-1] != "0" else "1")
    r = correr("verificar", archivos["a"], "--codigo", otro)
    assert r.exit_code == 1 and "NO coincide" in r.stdout
    r = correr("verificar", archivos["a"], "--codigo", "abc")
    assert r.exit_code == 2 and "64 dígitos hexadecimales" in r.stderr
    r = correr("verificar", archivos["malo"], "--codigo", codigo)
    assert r.exit_code == 2 and "no es un documento canónico" in r.stderr
    r = correr("verificar", "--json", archivos["a"], "--codigo", codigo)
    assert json.loads(r.stdout)["coincide"] is True


def test_registered_under_vmre(archivos) -> None:
    r = CliRunner().invoke(principal, ["lnere", "comparar", str(archivos["a"]), str(archivos["b"])])
    assert r.exit_code == 1 and "Resultado: diferentes" in r.stdout


def test_real_subprocess(archivos) -> None:
    vmre = shutil.which("vmre", path=str(Path(sys.executable).parent)) or shutil.which("vmre")
    assert vmre, "la orden vmre no está instalada"
    for b, esperado in (("a2", 0), ("b", 1), ("malo", 2)):
        p = subprocess.run(
            [vmre, "lnere", "comparar", str(archivos["a"]), str(archivos[b])],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert p.returncode == esperado, (p.stdout, p.stderr)
    assert (
        "GOMZJN90010114HA01: nombres"
        in subprocess.run(
            [vmre, "lnere", "comparar", str(archivos["a"]), str(archivos["b"])],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        ).stdout
    )


# --------------------------------------------------------------- descargar (servidor real)


@pytest.fixture
def servidor(app: Flask) -> Iterator[str]:
    http = make_server("127.0.0.1", 0, app, threaded=True)
    hilo = threading.Thread(target=http.serve_forever, daemon=True)
    hilo.start()
    try:
        yield f"http://127.0.0.1:{http.server_port}"
    finally:
        http.shutdown()


def test_download_from_a_real_server(app, cliente, servidor, tmp_path, monkeypatch) -> None:
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        bd.add(
            Solicitud(
                folio="VMRE-26-0000001-C",
                activa=True,
                estado="procedente",
                canal="portal",
                nombres="Juan Carlos",
                primer_apellido="Gómez",
                segundo_apellido="",
                fecha_nacimiento=date(1990, 1, 1),
                clave_elector="GOMZJN90010114HA01",
                tipo_credencial="mexico",
                entidad="14",
                pais="US",
                domicilio={},
                correo="j@ejemplo.org",
                telefono="+13125550101",
                modalidad="electronica",
            )
        )
    admin = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    corte = cliente.post("/api/v1/lnere/cortes", json={"modalidad": "electronica"}, headers=admin).get_json()
    salida = tmp_path / "bajado.jsonl"
    monkeypatch.setenv("VMRE_TESTIGO", admin["Authorization"][7:])
    r = correr("descargar", "--servidor", servidor, "--corte", corte["id"], "--salida", salida)
    assert r.exit_code == 0, r.output
    assert corte["codigo_integridad"] in r.stdout
    assert hashlib.sha256(salida.read_bytes()).hexdigest() == corte["codigo_integridad"]
    r = correr("descargar", "--servidor", servidor, "--corte", 999, "--salida", tmp_path / "x")
    assert r.exit_code == 2 and "404" in r.stderr and "No se encontró el corte 999" in r.stderr
    representante = sesion_api(cliente, crear_personal(app, Rol.REPRESENTANTE))
    monkeypatch.setenv("VMRE_TESTIGO", representante["Authorization"][7:])
    r = correr("descargar", "--servidor", servidor, "--corte", corte["id"], "--salida", tmp_path / "y")
    assert r.exit_code == 2 and "403" in r.stderr and not (tmp_path / "y").exists()
