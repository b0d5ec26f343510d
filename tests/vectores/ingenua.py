"""Segunda implementación ingenua e independiente de las primitivas de EG 2.0 / vmre.

Solo usa ``int`` de Python, ``pow``, ``hmac`` y ``hashlib``.  NO importa ``vmre_crypto``
ni comparte código con él: las constantes p, q, g salen del JSON de los artefactos de
referencia y cada codificación se escribe aquí a mano a partir de la especificación.
Sirve para comprobar, con un segundo cálculo, los vectores que produce la biblioteca.

Las funciones ``verificar_*`` devuelven un booleano (nunca lanzan por una prueba falsa).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

_DATOS = Path(__file__).parent / "datos" / "eg20"

with open(_DATOS / "election_parameters.json", encoding="utf-8") as _f:
    _GRUPO = json.load(_f)["fixed_parameters"]["group"]

P = int(_GRUPO["p"], 16)
Q = int(_GRUPO["q"], 16)
G = int(_GRUPO["g"], 16)
LP = 512  # bytes de b(x, l_p)
LQ = 32  # bytes de b(x, l_q)

VERSION = "v2.0.0".encode("ascii") + b"\x00" * 26


# -- hash y codificaciones --------------------------------------------------------------
def H(clave: bytes, datos: bytes) -> bytes:
    """HMAC-SHA-256(clave, datos); la clave mide 32 bytes."""
    assert len(clave) == 32
    return hmac.new(clave, datos, hashlib.sha256).digest()


def b(x: int, n: int) -> bytes:
    """Entero no negativo en big-endian de exactamente n bytes (construido a mano)."""
    assert 0 <= x < 256**n
    salida = bytearray(n)
    for k in range(n - 1, -1, -1):
        salida[k] = x & 0xFF
        x >>= 8
    return bytes(salida)


def a_entero(datos: bytes) -> int:
    x = 0
    for byte in datos:
        x = (x << 8) | byte
    return x


def H_q(clave: bytes, datos: bytes) -> int:
    """Salida de H como entero big-endian reducido módulo q (retos)."""
    return a_entero(H(clave, datos)) % Q


def es_miembro(x: int) -> bool:
    return 0 < x < P and pow(x, Q, P) == 1


def en_zq(x: int) -> bool:
    return 0 <= x < Q


# -- hashes de la elección --------------------------------------------------------------
def hash_parametros(p: int = P, q: int = Q, g: int = G) -> bytes:
    return H(VERSION, bytes([0x00]) + b(p, LP) + b(q, LQ) + b(g, LP))


def hash_manifiesto(h_p: bytes, manifiesto: bytes) -> bytes:
    return H(h_p, bytes([0x01]) + manifiesto)


def hash_base(h_p: bytes, n: int, k: int, fecha: str, info: str, h_m: bytes) -> bytes:
    return H(h_p, bytes([0x02]) + b(n, 4) + b(k, 4) + fecha.encode("utf-8") + info.encode("utf-8") + h_m)


def hash_extendido(h_b: bytes, K: int) -> bytes:
    return H(h_b, bytes([0x12]) + b(K, LP))


# -- ElGamal ----------------------------------------------------------------------------
def cifrar(K: int, sigma: int, xi: int) -> tuple[int, int]:
    return pow(G, xi, P), pow(K, sigma + xi, P)


def descifrar(alfa: int, beta: int, s: int, cota: int) -> int | None:
    """Descifrado con el secreto completo y búsqueda lineal del exponente (t ≤ cota)."""
    K = pow(G, s, P)
    objetivo = beta * pow(pow(alfa, s, P), -1, P) % P
    actual = 1
    for t in range(cota + 1):
        if actual == objetivo:
            return t
        actual = actual * K % P
    return None


# -- pruebas ----------------------------------------------------------------------------
def verificar_schnorr(h_p: bytes, i: int, j: int, K_ij: int, c: int, v: int) -> bool:
    if not (es_miembro(K_ij) and en_zq(c) and en_zq(v)):
        return False
    h = pow(G, v, P) * pow(K_ij, c, P) % P
    datos = bytes([0x10]) + b(i, 4) + b(j, 4) + b(K_ij, LP) + b(h, LP)
    return H_q(h_p, datos) == c


def verificar_rango(
    h_e: bytes, K: int, alfa: int, beta: int, retos: list[int], respuestas: list[int]
) -> bool:
    """Prueba de rango 0..R con R = len(retos) − 1."""
    if len(retos) != len(respuestas) or not retos:
        return False
    if not all(es_miembro(x) for x in (K, alfa, beta)):
        return False
    if not all(en_zq(x) for x in retos + respuestas):
        return False
    datos = bytes([0x21]) + b(K, LP) + b(alfa, LP) + b(beta, LP)
    for j, (c_j, v_j) in enumerate(zip(retos, respuestas, strict=True)):
        a_j = pow(G, v_j, P) * pow(alfa, c_j, P) % P
        b_j = pow(K, (v_j - j * c_j) % Q, P) * pow(beta, c_j, P) % P
        datos += b(a_j, LP) + b(b_j, LP)
    return sum(retos) % Q == H_q(h_e, datos)


def verificar_descifrado(h_e: bytes, K: int, A: int, B: int, M: int, c: int, v: int) -> bool:
    if not all(es_miembro(x) for x in (K, A, B, M)) or not (en_zq(c) and en_zq(v)):
        return False
    a = pow(G, v, P) * pow(K, c, P) % P
    bb = pow(A, v, P) * pow(M, c, P) % P
    datos = bytes([0x30]) + b(K, LP) + b(A, LP) + b(B, LP) + b(a, LP) + b(bb, LP) + b(M, LP)
    return H_q(h_e, datos) == c


def verificar_firma(h_e: bytes, X: int, mensaje: bytes, c: int, v: int) -> bool:
    if not es_miembro(X) or not (en_zq(c) and en_zq(v)):
        return False
    h = pow(G, v, P) * pow(X, c, P) % P
    datos = bytes([0x50]) + b(X, LP) + b(h, LP) + b(len(mensaje), 4) + mensaje
    return H_q(h_e, datos) == c


# -- Shamir / Feldman / Lagrange ----------------------------------------------------------
def evaluar_polinomio(coeficientes: list[int], x: int) -> int:
    """Σ a_j·x^j mod q, término a término (sin Horner)."""
    return sum(a * pow(x, j, Q) for j, a in enumerate(coeficientes)) % Q


def evaluar_feldman(compromisos: list[int], x: int) -> int:
    """∏ K_j^(x^j) mod p, una potencia por término."""
    resultado = 1
    for j, K_j in enumerate(compromisos):
        resultado = resultado * pow(K_j, x**j, P) % P
    return resultado


def pesos_lagrange(cuorum: list[int]) -> dict[int, int]:
    """w_i = ∏_(ℓ≠i) ℓ/(ℓ−i) mod q, con el inverso por el pequeño teorema de Fermat."""
    pesos = {}
    for i in cuorum:
        w = 1
        for ell in cuorum:
            if ell != i:
                w = w * ell * pow((ell - i) % Q, Q - 2, Q) % Q
        pesos[i] = w
    return pesos
