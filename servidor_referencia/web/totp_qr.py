"""Código QR (SVG en data-URI) para enrolar una app autenticadora, sin recursos externos."""

from __future__ import annotations

import base64
import io
import re

import segno

from ..errores import Codigo, ErrorServidor

_BASE32 = re.compile(r"^[A-Z2-7]{32}$")


def qr_data_uri(uri: str) -> str:
    salida = io.BytesIO()
    segno.make(uri, error="m").save(salida, kind="svg", scale=5, border=2, xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(salida.getvalue()).decode("ascii")


def validar_secreto_totp(secreto: str) -> str:
    """El secreto que propone un cliente de la API: 32 caracteres base32 (160 bits)."""
    if not isinstance(secreto, str) or not _BASE32.match(secreto):
        raise ErrorServidor(
            Codigo.VALOR_INVALIDO, "El secreto TOTP debe tener 32 caracteres base32 (A-Z, 2-7).", campo="totp_secreto"
        )
    return secreto
