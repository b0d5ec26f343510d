"""Genera ``datos/vectores_primitivas.json``: vectores de las primitivas desde una semilla fija.

Uso (desde la raíz del repositorio)::

    PYTHONPATH=. python tests/vectores/generar_vectores_primitivas.py

Todo el azar sale de ``vmre_crypto.testing.azar.con_semilla``, de modo que el archivo es
reproducible byte a byte.  ``test_vectores_primitivas.py`` lo regenera, lo compara con la
copia guardada y verifica cada vector con la implementación ingenua (``ingenua.py``).
Los vectores incluyen secretos (nonces, llaves): son datos de prueba, no de una elección.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from vmre_crypto.primitivas.elgamal import cifrar
from vmre_crypto.primitivas.grupo import GRUPO_ESTANDAR
from vmre_crypto.primitivas.parametros import hash_base, hash_extendido, hash_manifiesto, hash_parametros
from vmre_crypto.primitivas.pruebas_zk.descifrado import reto_descifrado
from vmre_crypto.primitivas.pruebas_zk.firma import firmar
from vmre_crypto.primitivas.pruebas_zk.rango import probar_rango
from vmre_crypto.primitivas.pruebas_zk.schnorr import probar_schnorr
from vmre_crypto.primitivas.shamir import Polinomio, evaluar_compromisos, pesos_lagrange
from vmre_crypto.testing.azar import con_semilla

DIRECTORIO = Path(__file__).parent / "datos"
ARCHIVO = DIRECTORIO / "vectores_primitivas.json"
SEMILLA = b"vmre/vectores-primitivas/v1"

_G = GRUPO_ESTANDAR


def _hx(x: Any) -> str:
    """Hexadecimal en mayúsculas sin prefijo (como en los artefactos de EG 2.0)."""
    if isinstance(x, (bytes, bytearray)):
        return bytes(x).hex().upper()
    return format(int(x), "X")


def _hashes_eg20() -> tuple[bytes, bytes]:
    """H_P y H_B de la elección de ejemplo de EG 2.0, calculados con la biblioteca."""
    eg20 = DIRECTORIO / "eg20"
    parametros = json.loads((eg20 / "election_parameters.json").read_text(encoding="utf-8"))
    variables = parametros["varying_parameters"]
    h_p = hash_parametros(_G)
    h_m = hash_manifiesto(h_p, (eg20 / "election_manifest_canonical.bin").read_bytes())
    h_b = hash_base(h_p, variables["n"], variables["k"], variables["date"], variables["info"], h_m)
    return h_p, h_b


def generar(semilla: bytes = SEMILLA) -> dict[str, Any]:
    """Todos los vectores para ``semilla``; el resultado solo contiene tipos JSON."""
    h_p, h_b = _hashes_eg20()
    with con_semilla(semilla):
        s = _G.aleatorio_q()
        K = _G.g_a_la(s)
        h_e = hash_extendido(h_b, K)

        cifrados = []
        for sigma in (0, 1, 2, 7):
            xi = _G.aleatorio_q()
            c = cifrar(K, sigma, xi)
            cifrados.append({"sigma": sigma, "xi": _hx(xi), "alfa": _hx(c.alfa), "beta": _hx(c.beta)})

        rangos = []
        for cota, valores in ((1, (0, 1)), (3, (0, 1, 2, 3))):
            for valor in valores:
                xi = _G.aleatorio_q()
                c = cifrar(K, valor, xi)
                prueba = probar_rango(h_e, K, c, xi, valor, cota)
                rangos.append(
                    {
                        "cota": cota,
                        "valor": valor,
                        "xi": _hx(xi),
                        "alfa": _hx(c.alfa),
                        "beta": _hx(c.beta),
                        "retos": [_hx(r) for r in prueba.retos],
                        "respuestas": [_hx(v) for v in prueba.respuestas],
                    }
                )

        schnorr = []
        feldman = []
        for i in (1, 2):
            polinomio = Polinomio.aleatorio(_G, 3)
            compromisos = polinomio.compromisos()
            for j, (a, K_ij) in enumerate(zip(polinomio.coeficientes, compromisos, strict=True)):
                prueba = probar_schnorr(h_p, i, j, a, K_ij)
                schnorr.append(
                    {
                        "i": i,
                        "j": j,
                        "coeficiente": _hx(a),
                        "compromiso": _hx(K_ij),
                        "reto": _hx(prueba.reto),
                        "respuesta": _hx(prueba.respuesta),
                    }
                )
            feldman.append(
                {
                    "coeficientes": [_hx(a) for a in polinomio.coeficientes],
                    "compromisos": [_hx(K_ij) for K_ij in compromisos],
                    "valores": {str(x): _hx(polinomio.evaluar(x)) for x in range(1, 6)},
                    "compromisos_evaluados": {str(x): _hx(evaluar_compromisos(compromisos, x)) for x in range(1, 6)},
                }
            )

        descifrados = []
        for valor in (0, 1, 5):
            xi = _G.aleatorio_q()
            c = cifrar(K, valor, xi)
            m = c.alfa.potencia_secreta(s)
            u = _G.aleatorio_q()
            a = _G.g_a_la(u)
            b = c.alfa**u
            reto = reto_descifrado(h_e, K, c, a, b, m)
            respuesta = u - reto * s
            descifrados.append(
                {
                    "valor": valor,
                    "alfa": _hx(c.alfa),
                    "beta": _hx(c.beta),
                    "M": _hx(m),
                    "reto": _hx(reto),
                    "respuesta": _hx(respuesta),
                }
            )

        firmas = []
        for mensaje in (b"", b"codigo de confirmacion", bytes(range(40))):
            x = _G.aleatorio_q()
            X = _G.g_a_la(x)
            f = firmar(h_e, x, X, mensaje)
            firmas.append(
                {
                    "x": _hx(x),
                    "X": _hx(X),
                    "mensaje": _hx(mensaje),
                    "reto": _hx(f.reto),
                    "respuesta": _hx(f.respuesta),
                }
            )

    lagrange = []
    for cuorum in ([1, 2, 3], [2, 4, 5], [1, 3, 4, 5], [7]):
        pesos = pesos_lagrange(_G, cuorum)
        lagrange.append({"cuorum": cuorum, "pesos": {str(i): _hx(w) for i, w in pesos.items()}})

    return {
        "descripcion": "Vectores de primitivas de vmre (con_semilla); ver generar_vectores_primitivas.py",
        "semilla": semilla.decode("utf-8", errors="replace"),
        "h_p": _hx(h_p),
        "h_b": _hx(h_b),
        "s": _hx(s),
        "K": _hx(K),
        "h_e": _hx(h_e),
        "cifrados": cifrados,
        "rango": rangos,
        "schnorr": schnorr,
        "feldman": feldman,
        "descifrado": descifrados,
        "firmas": firmas,
        "lagrange": lagrange,
    }


def serializar(vectores: dict[str, Any]) -> str:
    return json.dumps(vectores, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    ARCHIVO.write_text(serializar(generar()), encoding="utf-8")
    print(f"escrito {ARCHIVO}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
