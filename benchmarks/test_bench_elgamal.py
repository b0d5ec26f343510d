"""ElGamal exponencial: cifrado con tablas de base fija (g y K) y agregación."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gmpy2

from benchmarks import escenario as esc
from vmre_crypto.primitivas.elgamal import agregar, cifrar


def test_cifrar(medir_con: Callable[..., Any], gubernatura: esc.Eleccion) -> None:
    """(g^ξ, K^(σ+ξ)) con las tablas de g y K ya construidas."""
    llave = gubernatura.contexto.llave
    grupo = llave.grupo

    def una(i: int) -> tuple[int, Any]:
        return i % 2, grupo.aleatorio_q()

    def cifrar_una(entrada: tuple[int, Any]) -> tuple[int, Any, Any]:
        sigma, xi = entrada
        return sigma, xi, cifrar(llave, sigma, xi)

    sigma, xi, c = medir_con(cifrar_una, una, rondas=200)
    assert c.alfa.valor == gmpy2.powmod(grupo.g, xi.valor, grupo.p)
    assert c.beta.valor == gmpy2.powmod(llave.valor, xi.valor + sigma, grupo.p)


def test_agregar_1000(anotar: Any, gubernatura: esc.Eleccion, mil_boletas: list[Any]) -> None:
    """Producto de 1000 cifrados de una misma opción (una de las 10 columnas del escrutinio)."""
    grupo = gubernatura.contexto.grupo
    cifrados = [b.contiendas[0].selecciones[0].cifrado for b in mil_boletas]
    total = anotar(agregar, grupo, cifrados)
    esperado = 1
    for c in cifrados:
        esperado = esperado * int(c.alfa.valor) % int(grupo.p)
    assert total.alfa.valor == esperado
