"""``python -m benchmarks.perfil [verify|ceremony|decrypt|encrypt ...] [--cprofile]``: ¿en qué se va el tiempo?

Desglose por primitiva aritmética (powmod público, powmod_sec, tablas de base fija,
multiexponenciación, pertenencia por lotes, logaritmo discreto) medido con contadores y
cronómetros alrededor de las funciones de ``vmre_crypto.primitivas._aritmetica``; el resto
es Python, hash y JSON.  Es más fiel que cProfile, que infla los bucles con muchas llamadas
pequeñas (``multiexp``, ``list.append``).  Con ``--cprofile`` se imprime además el resumen de
cProfile.  Las envolturas solo existen dentro de este proceso de diagnóstico.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import pstats
import sys
import time
from collections.abc import Callable
from typing import Any

from vmre_crypto import (
    BoletaCifrada,
    acumular,
    ceremonia_en_proceso,
    descifrar_en_proceso,
    deserializar,
    serializar,
    verificar_boleta,
    verificar_resultado,
)
from vmre_crypto.primitivas import _aritmetica as ar
from vmre_crypto.primitivas import grupo as modulo_grupo

from . import escenario as esc
from .medicion import medir_pe

_tiempo: collections.defaultdict[str, float] = collections.defaultdict(float)
_cuenta: collections.defaultdict[str, int] = collections.defaultdict(int)
#: Etiquetas que contienen a otras (no se restan del «resto»).
_COMPUESTAS = {"pertenencia por lotes (V-G2)"}


def _envolver(objeto: Any, nombre: str, etiqueta: str) -> None:
    original = getattr(objeto, nombre)

    def envoltura(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            _tiempo[etiqueta] += time.perf_counter() - t0
            _cuenta[etiqueta] += 1

    setattr(objeto, nombre, envoltura)


def _instrumentar() -> None:
    from vmre_crypto import descifrado

    _envolver(ar, "potencia", "powmod público (base variable)")
    _envolver(ar, "potencia_secreta", "powmod_sec (secreto)")
    _envolver(ar, "multiexp", "multiexp")
    _envolver(ar.TablaBaseFija, "potencia", "base fija (tabla de g o K)")
    _envolver(modulo_grupo.Grupo, "son_miembros", "pertenencia por lotes (V-G2)")
    _envolver(descifrado, "logaritmo_discreto", "logaritmo discreto")


def _casos(eleccion: esc.Eleccion) -> dict[str, tuple[Callable[[], Any], int]]:
    contexto, grupo = eleccion.contexto, eleccion.contexto.grupo
    distintas = esc.boletas_distintas(eleccion, 20)
    textos = [serializar(b) for b in distintas]
    escrutinio = acumular(contexto, esc.replicar(distintas, 1000))
    llaves = [eleccion.custodios[i - 1].llave() for i in esc.PRESENTES]

    def verificar() -> None:
        for texto in textos[:10]:
            verificar_boleta(contexto, deserializar(texto, BoletaCifrada, grupo))

    def descifrar() -> None:
        for _ in range(3):
            resultado = descifrar_en_proceso(contexto, eleccion.registro, llaves, escrutinio)
            verificar_resultado(contexto, escrutinio, resultado)

    def cifrar() -> None:
        for i in range(10):
            eleccion.cifrar(i)

    return {
        "encrypt": (cifrar, 10),
        "verify": (verificar, 10),
        "decrypt": (descifrar, 3),
        "ceremony": (lambda: [ceremonia_en_proceso(eleccion.configuracion) for _ in range(3)], 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.perfil", description=__doc__.splitlines()[0])
    parser.add_argument("cifras", nargs="*", default=["verify", "ceremony", "decrypt"])
    parser.add_argument("--cprofile", action="store_true", help="imprime también el resumen de cProfile")
    parser.add_argument("--lineas", type=int, default=15, help="líneas del resumen de cProfile")
    args = parser.parse_args(argv)

    eleccion = esc.preparar_eleccion(esc.manifiesto_gubernatura(10))
    casos = _casos(eleccion)
    desconocidas = [c for c in args.cifras if c not in casos]
    if desconocidas:
        parser.error(f"cifras desconocidas: {desconocidas}; opciones: {sorted(casos)}")
    pe = medir_pe()
    print(f"1 pe = {pe * 1e6:.1f} µs; boleta gubernatura-10, ceremonia 5/3\n")
    for nombre in args.cifras:
        funcion, veces = casos[nombre]
        if args.cprofile:
            perfil = cProfile.Profile()
            perfil.runcall(funcion)
            print(f"== cProfile de {nombre} ({veces} operaciones; tottime)")
            pstats.Stats(perfil, stream=sys.stdout).sort_stats("tottime").print_stats(args.lineas)
    _instrumentar()
    for nombre in args.cifras:
        funcion, veces = casos[nombre]
        _tiempo.clear()
        _cuenta.clear()
        t0 = time.perf_counter()
        funcion()
        total = (time.perf_counter() - t0) / veces
        print(f"== {nombre}: {total / pe:.1f} pe por operación (con envolturas; promedio de {veces})")
        resto = total
        for etiqueta in sorted(_tiempo, key=lambda k: _tiempo[k], reverse=True):
            por_op = _tiempo[etiqueta] / veces
            nota = "  (incluye su multiexp y su powmod)" if etiqueta in _COMPUESTAS else ""
            if etiqueta not in _COMPUESTAS:
                resto -= por_op
            print(f"   {etiqueta:<34} {_cuenta[etiqueta] / veces:>7.1f} llamadas {por_op / pe:>7.1f} pe{nota}")
        print(f"   {'resto (Python, hash, JSON, productos)':<42} {resto / pe:>15.1f} pe\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
