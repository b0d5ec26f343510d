"""Pruebas de conocimiento cero: rango (R = 1 y R = 5), Schnorr, firma de credencial y descifrado."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from benchmarks import escenario as esc
from vmre_crypto import ErrorVerificacion, EscrutinioCifrado, ResultadoDescifrado
from vmre_crypto.primitivas.elgamal import cifrar
from vmre_crypto.primitivas.pruebas_zk.descifrado import verificar_descifrado
from vmre_crypto.primitivas.pruebas_zk.firma import firmar, verificar_firma
from vmre_crypto.primitivas.pruebas_zk.rango import PruebaRango, probar_rango, verificar_rango
from vmre_crypto.primitivas.pruebas_zk.schnorr import probar_schnorr, verificar_schnorr


def _cifrado_en_rango(eleccion: esc.Eleccion, cota: int, i: int) -> tuple[Any, Any, int]:
    contexto = eleccion.contexto
    valor = i % (cota + 1)
    xi = contexto.grupo.aleatorio_q()
    return cifrar(contexto.llave, valor, xi), xi, valor


@pytest.mark.parametrize("cota", [1, 5], ids=["R1", "R5"])
def test_probar_rango(medir_con: Callable[..., Any], gubernatura: esc.Eleccion, cota: int) -> None:
    contexto = gubernatura.contexto

    def probar(entrada: tuple[Any, Any, int]) -> tuple[Any, PruebaRango]:
        cifrado, xi, valor = entrada
        return cifrado, probar_rango(contexto.h_e, contexto.llave, cifrado, xi, valor, cota)

    cifrado, prueba = medir_con(probar, lambda i: _cifrado_en_rango(gubernatura, cota, i), rondas=20)
    assert prueba.cota == cota
    verificar_rango(contexto.h_e, contexto.llave, cifrado, prueba, cota)


@pytest.mark.parametrize("cota", [1, 5], ids=["R1", "R5"])
def test_verificar_rango(medir_con: Callable[..., Any], gubernatura: esc.Eleccion, cota: int) -> None:
    contexto = gubernatura.contexto
    casos = []
    for i in range(4):
        cifrado, xi, valor = _cifrado_en_rango(gubernatura, cota, i)
        casos.append((cifrado, probar_rango(contexto.h_e, contexto.llave, cifrado, xi, valor, cota)))

    def verificar(caso: tuple[Any, PruebaRango]) -> bool:
        verificar_rango(contexto.h_e, contexto.llave, caso[0], caso[1], cota)
        return True

    assert medir_con(verificar, lambda i: casos[i % len(casos)], rondas=20) is True
    # Control: otra cota no verifica.
    with pytest.raises(ErrorVerificacion):
        verificar_rango(contexto.h_e, contexto.llave, casos[0][0], casos[0][1], cota + 1)


def test_probar_schnorr(medir_con: Callable[..., Any], gubernatura: esc.Eleccion) -> None:
    grupo = gubernatura.contexto.grupo
    h_p = gubernatura.configuracion.h_p

    def probar(coeficiente: Any) -> tuple[Any, Any]:
        compromiso = grupo.g_a_la(coeficiente)
        return compromiso, probar_schnorr(h_p, 1, 0, coeficiente, compromiso)

    compromiso, prueba = medir_con(probar, lambda _i: grupo.aleatorio_q(), rondas=100)
    verificar_schnorr(h_p, 1, 0, compromiso, prueba)


def test_verificar_schnorr(medir_con: Callable[..., Any], gubernatura: esc.Eleccion) -> None:
    """V2: la operación que la ceremonia repite 75 veces (5 custodios × 4 × 3 + el coordinador × 15)."""
    h_p = gubernatura.configuracion.h_p
    casos = [
        (m.custodio, j, m.compromisos[j], m.pruebas[j]) for m in gubernatura.registro.compromisos for j in range(3)
    ]

    def verificar(caso: tuple[int, int, Any, Any]) -> bool:
        verificar_schnorr(h_p, *caso)
        return True

    assert medir_con(verificar, lambda i: casos[i % len(casos)], rondas=60) is True
    i, j, compromiso, prueba = casos[0]
    with pytest.raises(ErrorVerificacion):
        verificar_schnorr(h_p, i, j + 1, compromiso, prueba)


def test_verificar_firma_credencial(medir_con: Callable[..., Any], gubernatura: esc.Eleccion) -> None:
    contexto = gubernatura.contexto
    cred = gubernatura.credencial
    mensajes = [bytes([i]) * 32 for i in range(8)]
    firmas = [(m, firmar(contexto.h_e, cred.secreta, cred.publica, m)) for m in mensajes]

    def verificar(caso: tuple[bytes, Any]) -> bool:
        verificar_firma(contexto.h_e, cred.publica, caso[0], caso[1])
        return True

    assert medir_con(verificar, lambda i: firmas[i % len(firmas)], rondas=60) is True
    with pytest.raises(ErrorVerificacion):
        verificar_firma(contexto.h_e, cred.publica, mensajes[1], firmas[0][1])


def test_verificar_descifrado(
    medir_con: Callable[..., Any],
    gubernatura: esc.Eleccion,
    escrutinio_mil: EscrutinioCifrado,
    resultado_mil: ResultadoDescifrado,
) -> None:
    """V9 de una opción del escrutinio de 1000 boletas (a = g^v·K^c, b = A^v·M^c, hash)."""
    contexto = gubernatura.contexto
    casos = [
        (cifrado, o.m, o.prueba)
        for (_, _, cifrado), o in zip(escrutinio_mil.cifrados(), resultado_mil.opciones, strict=True)
    ]

    def verificar(caso: tuple[Any, Any, Any]) -> bool:
        verificar_descifrado(contexto.h_e, contexto.llave, *caso)
        return True

    assert medir_con(verificar, lambda i: casos[i % len(casos)], rondas=50) is True
    cifrado, m, prueba = casos[0]
    with pytest.raises(ErrorVerificacion):
        verificar_descifrado(contexto.h_e, contexto.llave, cifrado, m * contexto.llave, prueba)
