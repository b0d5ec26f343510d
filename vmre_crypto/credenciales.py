"""Credenciales de votación: un par de firma por elector (§8.7, extensión de vmre).

Como en Belenios, la autoridad de credenciales genera para cada elector un par
(x, X = g^x); el elector recibe x y el servidor solo la lista pública de las X, cuyo hash
H_C = H(H_P; 0x51 ∥ b(N,4) ∥ X_1 ∥ … ∥ X_N) (X ordenadas de menor a mayor) entra en el
registro de la elección.  Cada boleta lleva X en B_aux y una firma de Schnorr sobre su
código de confirmación (§6.4), así que un servidor sin los secretos no puede añadir
boletas.

Para el flujo del servidor (§17): el texto transcribible de x con suma de verificación
(``codificar_credencial_secreta``/``decodificar_credencial_secreta``, (17.8)–(17.10)), la
decodificación estricta de las X que carga la autoridad (``decodificar_credenciales_publicas``,
(17.13d)) y H_C con el H_P del grupo (``hash_lista_credenciales_del_grupo``, (17.14)).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gmpy2 import mpz

from .errores import ErrorDecodificacion, Motivo
from .primitivas.grupo import ElementoP, ElementoQ, Grupo
from .primitivas.hash import Dominio, H, codificar
from .primitivas.parametros import hash_parametros

__all__ = [
    "ParCredencial",
    "codificar_credencial_secreta",
    "decodificar_credencial_secreta",
    "decodificar_credenciales_publicas",
    "generar_credencial",
    "hash_lista_credenciales",
    "hash_lista_credenciales_del_grupo",
]


@dataclass(frozen=True, slots=True, repr=False)
class ParCredencial:
    """Credencial de un elector.  ``secreta`` nunca aparece en ``repr`` ni en registros."""

    secreta: ElementoQ
    publica: ElementoP

    def __repr__(self) -> str:
        return f"ParCredencial(publica={self.publica!r}, secreta=<oculta>)"


def generar_credencial(grupo: Grupo) -> ParCredencial:
    x = grupo.aleatorio_q()
    while x.valor == 0:  # pragma: no cover - probabilidad 1/q
        x = grupo.aleatorio_q()
    return ParCredencial(x, grupo.g_a_la_secreta(x))


def hash_lista_credenciales(h_p: bytes, publicas: Iterable[ElementoP]) -> bytes:
    """Ecuación (8.9): hash de la lista pública de credenciales, en orden creciente."""
    lista = sorted(publicas, key=lambda x: int(x.valor))
    if not lista:
        raise ValueError("la lista de credenciales está vacía")
    grupo = lista[0].grupo
    return H(h_p, codificar(grupo, bytes([Dominio.LISTA_CREDENCIALES]), len(lista), *lista))


def hash_lista_credenciales_del_grupo(grupo: Grupo, publicas: Iterable[ElementoP]) -> bytes:
    """Ecuación (8.9) con H_P = H_P(grupo) (4.1): el H_C que publica el servidor (17.14)."""
    return hash_lista_credenciales(hash_parametros(grupo), publicas)


# -- Credenciales públicas recibidas desde fuera (§17.7) ---------------------------------

_HEX_MAYUSCULAS = re.compile(r"[0-9A-F]+")


def decodificar_credenciales_publicas(grupo: Grupo, valores: Sequence[object]) -> list[ElementoP]:
    """Decodifica una lista de credenciales públicas X en hexadecimal canónico (§10, (17.13d)).

    Cada valor debe ser hexadecimal en mayúsculas de exactamente 2·l_p dígitos, estar
    en 1..p−1 y pertenecer al subgrupo de orden q (V-G2 por lotes y, si el lote falla, la
    primera que falla con su índice).  Devuelve los elementos en el orden recibido; la
    unicidad (§8.7) la comprueba quien arma la lista.
    """
    largo = 2 * grupo.bytes_p
    enteros: list[int] = []
    for i, valor in enumerate(valores):
        if not isinstance(valor, str):
            raise ErrorDecodificacion(
                Motivo.TIPO_INVALIDO, "Cada credencial pública debe ser una cadena.", campo="publicas", indice=i
            )
        if len(valor) != largo or not _HEX_MAYUSCULAS.fullmatch(valor):
            raise ErrorDecodificacion(
                Motivo.FORMATO_INVALIDO,
                f"Cada credencial pública debe ser hexadecimal en mayúsculas de {largo} dígitos.",
                campo="publicas",
                indice=i,
            )
        enteros.append(int(valor, 16))
    return grupo.elementos_p(enteros, campo="publicas")


# -- Texto transcribible de la credencial secreta (§17.5) ------------------------------

#: Alfabeto base32 de Crockford: sin I, L, O ni U para que no se confundan al copiar.
ALFABETO_CREDENCIAL = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALOR_SIMBOLO = {c: i for i, c in enumerate(ALFABETO_CREDENCIAL)}
_VALOR_SIMBOLO.update({"O": 0, "I": 1, "L": 1})
_SEPARADORES = str.maketrans("", "", " -\t\n")
_POLINOMIO_CRC24 = 0x1864CFB  # CRC-24 de OpenPGP (RFC 4880 §6.1)
_INICIO_CRC24 = 0xB704CE
TAMANO_GRUPO_CREDENCIAL = 4


def _crc24(datos: bytes) -> int:
    """CRC-24 de OpenPGP (17.8): detecta toda ráfaga de errores de hasta 24 bits."""
    crc = _INICIO_CRC24
    for octeto in datos:
        crc ^= octeto << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= _POLINOMIO_CRC24
    return crc & 0xFFFFFF


def _simbolos(grupo: Grupo) -> int:
    return -(-8 * (grupo.bytes_q + 3) // 5)


def codificar_credencial_secreta(secreta: ElementoQ) -> str:
    """Texto para el elector, reglas (17.8)–(17.9).

    T = base32-Crockford(b(x, l_q) ∥ b(CRC24(b(x, l_q)), 3)), en grupos de 4 separados por
    guiones.  Con l_q = 32 son 56 símbolos (280 bits, sin relleno): 14 grupos.
    """
    grupo = secreta.grupo
    carga = int(secreta.valor).to_bytes(grupo.bytes_q, "big")
    carga += _crc24(carga).to_bytes(3, "big")
    n = _simbolos(grupo)
    entero = int.from_bytes(carga, "big") << (5 * n - 8 * len(carga))
    simbolos = "".join(ALFABETO_CREDENCIAL[(entero >> (5 * (n - 1 - k))) & 31] for k in range(n))
    t = TAMANO_GRUPO_CREDENCIAL
    return "-".join(simbolos[k : k + t] for k in range(0, n, t))


def decodificar_credencial_secreta(grupo: Grupo, texto: str) -> ParCredencial:
    """Lee el texto de (17.9) y devuelve el par (x, X = g^x); rechaza cualquier error de copia.

    Se ignoran espacios y guiones, se aceptan minúsculas y O→0, I/L→1 (17.10).  Un símbolo
    cambiado o dos contiguos intercambiados alteran a lo más 10 bits seguidos: el CRC-24 lo
    detecta siempre (``formato_invalido``).  x = 0 o x ≥ q → ``fuera_de_rango_q``.
    """
    if not isinstance(texto, str):
        raise ErrorDecodificacion(Motivo.TIPO_INVALIDO, "La credencial debe ser texto.", campo="credencial")
    limpio = texto.upper().translate(_SEPARADORES)
    n = _simbolos(grupo)
    if len(limpio) != n:
        raise ErrorDecodificacion(
            Motivo.FORMATO_INVALIDO,
            f"La credencial debe tener {n} símbolos (sin contar guiones); tiene {len(limpio)}.",
            campo="credencial",
        )
    entero = 0
    for k, simbolo in enumerate(limpio):
        valor = _VALOR_SIMBOLO.get(simbolo)
        if valor is None:
            raise ErrorDecodificacion(
                Motivo.FORMATO_INVALIDO,
                f"El símbolo {k + 1} de la credencial no es válido.",
                campo="credencial",
                posicion=k + 1,
            )
        entero = (entero << 5) | valor
    relleno = 5 * n - 8 * (grupo.bytes_q + 3)
    if entero & ((1 << relleno) - 1):
        raise ErrorDecodificacion(Motivo.FORMATO_INVALIDO, "La credencial tiene un error de copia.", campo="credencial")
    carga = (entero >> relleno).to_bytes(grupo.bytes_q + 3, "big")
    cuerpo, suma = carga[: grupo.bytes_q], carga[grupo.bytes_q :]
    if _crc24(cuerpo) != int.from_bytes(suma, "big"):
        raise ErrorDecodificacion(
            Motivo.FORMATO_INVALIDO,
            "La credencial tiene un error de copia: revise cada símbolo.",
            campo="credencial",
        )
    x = int.from_bytes(cuerpo, "big")
    if not 0 < x < grupo.q:
        raise ErrorDecodificacion(
            Motivo.FUERA_DE_RANGO_Q, "La credencial no está en el intervalo 1..q−1.", campo="credencial"
        )
    secreta = ElementoQ._confiable(mpz(x), grupo)
    return ParCredencial(secreta, grupo.g_a_la_secreta(secreta))
