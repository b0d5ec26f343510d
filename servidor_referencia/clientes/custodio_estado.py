"""Archivo de estado del custodio, cifrado con su frase (§19.6, formato (19.17)).

Disposición: ``VMRECUS1`` (8 bytes) ∥ log2(N) (1) ∥ r (1) ∥ p (1) ∥ sal (16) ∥ nonce (12) ∥
texto cifrado ∥ etiqueta (16).  Llave = scrypt(frase UTF-8, sal, N, r, p, 32 bytes); cifrado
AES-256-GCM con los 11 primeros bytes (cabecera y parámetros) como datos asociados.  El texto
claro es JSON: servidor, proceso, índice, H_B y el ``EstadoCustodio`` serializado (secreto).
El archivo se crea con modo 0600 y nunca se sobrescribe.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from Crypto.Cipher import AES
from Crypto.Protocol.KDF import scrypt

from vmre_crypto import GRUPO_ESTANDAR, ErrorVMRE, EstadoCustodio, deserializar, serializar

from .api_json import ErrorCliente

MAGIA = b"VMRECUS1"
LOG2_N = 15
R = 8
P = 1
LARGO_SAL = 16
LARGO_NONCE = 12
LARGO_ETIQUETA = 16
CABECERA = len(MAGIA) + 3


class ErrorCustodio(ErrorCliente):
    """Una falla que la orden muestra tal cual: código estable y mensaje en español."""


@dataclass(frozen=True, slots=True, repr=False)
class ArchivoCustodio:
    servidor: str
    proceso: int
    indice: int
    h_b: str
    estado: EstadoCustodio


def _llave(frase: str, sal: bytes, log2_n: int, r: int, p: int) -> bytes:
    llave = scrypt(frase.encode("utf-8"), sal, 32, N=2**log2_n, r=r, p=p)  # type: ignore[arg-type]
    assert isinstance(llave, bytes)
    return llave


def guardar(ruta: Path, frase: str, contenido: ArchivoCustodio) -> None:
    """(19.17) Cifra y escribe; falla si el archivo ya existe (no se pisa una llave)."""
    if not frase:
        raise ErrorCustodio("frase_vacia", "La frase del archivo de estado no puede estar vacía.")
    claro = json.dumps(
        {
            "servidor": contenido.servidor,
            "proceso": contenido.proceso,
            "indice": contenido.indice,
            "h_b": contenido.h_b,
            "estado": serializar(contenido.estado),
        }
    ).encode("utf-8")
    cabecera = MAGIA + bytes([LOG2_N, R, P])
    sal = secrets.token_bytes(LARGO_SAL)
    nonce = secrets.token_bytes(LARGO_NONCE)
    cifrador = AES.new(_llave(frase, sal, LOG2_N, R, P), AES.MODE_GCM, nonce=nonce)
    cifrador.update(cabecera)
    cifrado, etiqueta = cifrador.encrypt_and_digest(claro)
    try:
        fd = os.open(ruta, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise ErrorCustodio("estado_existente", f"El archivo de estado {ruta} ya existe; no se sobrescribe.") from None
    with os.fdopen(fd, "wb") as f:
        f.write(cabecera + sal + nonce + cifrado + etiqueta)
        f.flush()
        os.fsync(f.fileno())


def abrir(ruta: Path, frase: str) -> ArchivoCustodio:
    """(19.17) Lee y descifra; una frase equivocada o un archivo alterado → ``frase_incorrecta``."""
    try:
        datos = ruta.read_bytes()
    except FileNotFoundError:
        raise ErrorCustodio(
            "estado_inexistente", f"No existe el archivo de estado {ruta}; ejecute «vmre custodio registrar»."
        ) from None
    minimo = CABECERA + LARGO_SAL + LARGO_NONCE + LARGO_ETIQUETA
    if len(datos) < minimo or datos[: len(MAGIA)] != MAGIA:
        raise ErrorCustodio("estado_invalido", "El archivo no es un archivo de estado de custodio VMRE.")
    log2_n, r, p = datos[len(MAGIA)], datos[len(MAGIA) + 1], datos[len(MAGIA) + 2]
    if not (LOG2_N <= log2_n <= 22 and 1 <= r <= 32 and 1 <= p <= 16):
        raise ErrorCustodio("estado_invalido", "Parámetros de scrypt fuera de rango en el archivo de estado.")
    sal = datos[CABECERA : CABECERA + LARGO_SAL]
    nonce = datos[CABECERA + LARGO_SAL : CABECERA + LARGO_SAL + LARGO_NONCE]
    cifrado, etiqueta = datos[CABECERA + LARGO_SAL + LARGO_NONCE : -LARGO_ETIQUETA], datos[-LARGO_ETIQUETA:]
    cifrador = AES.new(_llave(frase, sal, log2_n, r, p), AES.MODE_GCM, nonce=nonce)
    cifrador.update(datos[:CABECERA])
    try:
        claro = cifrador.decrypt_and_verify(cifrado, etiqueta)
    except ValueError:
        raise ErrorCustodio(
            "frase_incorrecta", "La frase no abre el archivo de estado (o el archivo fue alterado)."
        ) from None
    try:
        d = json.loads(claro.decode("utf-8"))
        estado = deserializar(d["estado"], EstadoCustodio, GRUPO_ESTANDAR)
        return ArchivoCustodio(str(d["servidor"]), int(d["proceso"]), int(d["indice"]), str(d["h_b"]), estado)
    except (ValueError, KeyError, TypeError, ErrorVMRE):
        raise ErrorCustodio("estado_invalido", "El contenido del archivo de estado no es válido.") from None
