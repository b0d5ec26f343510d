"""Archivo de estado del custodio (19.17): cifrado, modo 0600, sin pisar y con errores precisos."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from servidor_referencia.clientes.custodio_estado import (
    CABECERA,
    MAGIA,
    ArchivoCustodio,
    ErrorCustodio,
    abrir,
    guardar,
)
from servidor_referencia.dominio.eleccion import configuracion_simulacro
from vmre_crypto import Custodio

FRASE = "una frase de prueba"


@pytest.fixture(scope="module")
def contenido() -> ArchivoCustodio:
    cfg = configuracion_simulacro(3, 2)
    estado = Custodio.nuevo(cfg, 2, "Custodio dos").estado
    return ArchivoCustodio("http://x", 7, 2, cfg.h_b.hex().upper(), estado)


def _error(ruta: Path, frase: str) -> str:
    with pytest.raises(ErrorCustodio) as info:
        abrir(ruta, frase)
    return info.value.codigo


def test_ida_y_vuelta(tmp_path: Path, contenido: ArchivoCustodio) -> None:
    ruta = tmp_path / "e.vmre"
    guardar(ruta, FRASE, contenido)
    assert stat.S_IMODE(ruta.stat().st_mode) == 0o600
    leido = abrir(ruta, FRASE)
    assert (leido.servidor, leido.proceso, leido.indice, leido.h_b) == ("http://x", 7, 2, contenido.h_b)
    assert leido.estado == contenido.estado
    datos = ruta.read_bytes()
    assert datos[: len(MAGIA)] == MAGIA and datos[len(MAGIA) : CABECERA] == bytes([15, 8, 1])
    for c in contenido.estado.coeficientes:
        texto = format(c.valor, "064x")
        assert texto.encode() not in datos and texto.upper().encode() not in datos
    assert b"coeficientes" not in datos and b"Custodio dos" not in datos
    with pytest.raises(ErrorCustodio) as info:
        guardar(ruta, FRASE, contenido)
    assert info.value.codigo == "estado_existente"


def test_errores_precisos(tmp_path: Path, contenido: ArchivoCustodio) -> None:
    ruta = tmp_path / "e.vmre"
    guardar(ruta, FRASE, contenido)
    datos = ruta.read_bytes()
    assert _error(ruta, "otra frase") == "frase_incorrecta"
    for posicion in (CABECERA + 1, len(datos) - 1, len(datos) // 2):  # sal, etiqueta, texto cifrado
        alterado = bytearray(datos)
        alterado[posicion] ^= 1
        ruta.write_bytes(bytes(alterado))
        assert _error(ruta, FRASE) == "frase_incorrecta"
    # Los parámetros de scrypt son datos asociados: cambiar r dentro del rango también invalida.
    ruta.write_bytes(datos[:9] + bytes([9]) + datos[10:])
    assert _error(ruta, FRASE) == "frase_incorrecta"
    ruta.write_bytes(datos[:8] + bytes([10]) + datos[9:])  # N = 2^10: por debajo del mínimo
    assert _error(ruta, FRASE) == "estado_invalido"
    ruta.write_bytes(b"OTRACOSA" + datos[8:])
    assert _error(ruta, FRASE) == "estado_invalido"
    ruta.write_bytes(datos[:30])
    assert _error(ruta, FRASE) == "estado_invalido"
    assert _error(tmp_path / "no-existe", FRASE) == "estado_inexistente"
    with pytest.raises(ErrorCustodio) as info:
        guardar(tmp_path / "otro", "", contenido)
    assert info.value.codigo == "frase_vacia"
