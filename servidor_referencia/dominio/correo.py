"""Correo saliente: encolar en la bandeja de salida (misma transacción que la causa).

El envío real por SMTP, con reintentos, vive en ``dominio.envio_correo``.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..bd.correo import MensajeSaliente


def encolar(bd: Session, destinatario: str, asunto: str, cuerpo: str, *, sensible: bool = False) -> MensajeSaliente:
    """``sensible``: el cuerpo lleva un enlace de un solo uso y se borra de la base al enviarse."""
    mensaje = MensajeSaliente(destinatario=destinatario, asunto=asunto, cuerpo=cuerpo, sensible=sensible)
    bd.add(mensaje)
    bd.flush()
    return mensaje
