"""ContextoEleccion is coherent with its configuration and key, also when decoded (V1, V3.B, V4)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from vmre_crypto import GRUPO_ESTANDAR, ContextoEleccion, ErrorDecodificacion, Motivo, deserializar, serializar


def test_contexto_round_trip(contexto: ContextoEleccion) -> None:
    assert deserializar(serializar(contexto), ContextoEleccion, GRUPO_ESTANDAR) == contexto


@pytest.mark.parametrize("campo", ["h_p", "h_b", "h_e"])
def test_contexto_con_hash_alterado_se_rechaza(contexto: ContextoEleccion, campo: str) -> None:
    documento = json.loads(serializar(contexto))
    valor = bytearray.fromhex(documento[campo])
    valor[0] ^= 1
    documento[campo] = valor.hex().upper()
    with pytest.raises(ErrorDecodificacion) as info:
        deserializar(json.dumps(documento), ContextoEleccion, GRUPO_ESTANDAR)
    assert info.value.motivo is Motivo.PARAMETRO_INVALIDO


def test_contexto_con_otra_llave_se_rechaza(contexto: ContextoEleccion) -> None:
    with pytest.raises(ErrorDecodificacion) as info:
        dataclasses.replace(contexto, llave=contexto.llave * contexto.grupo.generador)
    assert info.value.motivo is Motivo.PARAMETRO_INVALIDO
    with pytest.raises(ErrorDecodificacion):
        ContextoEleccion.crear(contexto.configuracion, contexto.grupo.uno)
