"""Contraseñas (argon2id, (18.6)), testigos de un solo uso (18.8, 18.10) y segundo factor TOTP (RFC 6238, (18.7)).

Los testigos (sesiones, enlaces de activación) se entregan una sola vez y en la base solo
queda su SHA-256: quien lea la base no puede usarlos.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_HASHER = PasswordHasher()  # argon2id con los parámetros recomendados por RFC 9106 (perfil 2)
_HASH_FICTICIO = _HASHER.hash("contraseña ficticia para igualar tiempos")

LONGITUD_MINIMA_CONTRASENA = 12


def hash_contrasena(contrasena: str) -> str:
    return _HASHER.hash(contrasena)


def verificar_contrasena(hash_guardado: str | None, contrasena: str) -> bool:
    """Compara en tiempo similar exista o no la cuenta (no revela qué usuarios existen)."""
    try:
        return _HASHER.verify(hash_guardado or _HASH_FICTICIO, contrasena) and hash_guardado is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True, slots=True)
class ContrasenaVerificada:
    """Resultado de verificar una contraseña FUERA de la transacción de escritura (18.6).

    ``hash`` es el hash contra el que la contraseña resultó correcta (None si no lo fue).  Dentro
    de la transacción basta comparar que la cuenta siga teniendo ese mismo hash.
    """

    hash: str | None

    @staticmethod
    def de(hash_guardado: str | None, contrasena: str) -> ContrasenaVerificada:
        return ContrasenaVerificada(hash_guardado if verificar_contrasena(hash_guardado, contrasena) else None)

    def vale_para(self, hash_actual: str | None) -> bool:
        return self.hash is not None and hash_actual is not None and iguales(self.hash, hash_actual)


def problema_contrasena(contrasena: str) -> str | None:
    """Regla mínima (NIST SP 800-63B): longitud, no solo espacios.  Devuelve el motivo o None."""
    if len(contrasena) < LONGITUD_MINIMA_CONTRASENA:
        return f"La contraseña debe tener al menos {LONGITUD_MINIMA_CONTRASENA} caracteres."
    if len(contrasena) > 256:
        return "La contraseña no puede tener más de 256 caracteres."
    if not contrasena.strip():
        return "La contraseña no puede ser solo espacios."
    return None


def testigo_nuevo() -> str:
    return secrets.token_urlsafe(32)


def hash_testigo(testigo: str) -> str:
    return hashlib.sha256(testigo.encode("utf-8")).hexdigest()


def iguales(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def secreto_totp_nuevo() -> str:
    return pyotp.random_base32()


def uri_totp(secreto: str, cuenta: str, emisor: str = "VMRE-INE") -> str:
    return pyotp.TOTP(secreto).provisioning_uri(name=cuenta, issuer_name=emisor)


def codigo_totp(secreto: str, momento: float | None = None) -> str:
    """Código vigente (lo usan las pruebas y los clientes automáticos del simulacro)."""
    return pyotp.TOTP(secreto).at(momento if momento is not None else time.time())


def verificar_totp(secreto: str | None, codigo: str, ultimo_paso: int, momento: float | None = None) -> int | None:
    """Acepta el código del intervalo actual o del anterior/siguiente (±30 s de deriva).

    Devuelve el número de intervalo usado, que debe guardarse: un código ya usado (o uno de
    un intervalo anterior al último usado) se rechaza, así un código interceptado no sirve dos veces.
    """
    if not secreto or not codigo.isdigit() or len(codigo) != 6:
        return None
    totp = pyotp.TOTP(secreto)
    t = momento if momento is not None else time.time()
    paso_actual = int(t // totp.interval)
    for paso in (paso_actual - 1, paso_actual, paso_actual + 1):
        if paso <= ultimo_paso:
            continue
        if hmac.compare_digest(totp.generate_otp(paso), codigo):
            return paso
    return None
