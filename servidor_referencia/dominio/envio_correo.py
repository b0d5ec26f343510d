"""Envío real por SMTP de la bandeja de salida, con reintentos y espera exponencial.

Cada mensaje se toma de ``mensaje_saliente`` (estado ``pendiente`` y ``proximo_intento``
vencido), se envía con ``smtplib`` (STARTTLS y autenticación si se configuran) y se marca
``enviado``.  Si el servidor SMTP falla, el mensaje queda pendiente con espera 2^n · 5 s,
hasta ``max_intentos``; después queda ``fallido`` (visible para la administración).
Los cuerpos sensibles (enlaces de un solo uso) se borran de la base al enviarse.
"""

from __future__ import annotations

import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ..bd.base import ahora, transaccion
from ..bd.correo import MensajeSaliente
from ..configuracion import ConfiguracionCorreo


def construir(mensaje: MensajeSaliente, correo: ConfiguracionCorreo) -> EmailMessage:
    m = EmailMessage()
    m["From"] = correo.remitente
    m["To"] = mensaje.destinatario
    m["Subject"] = mensaje.asunto
    m["Date"] = formatdate(localtime=False, usegmt=True)
    m["Message-ID"] = make_msgid(idstring=f"vmre{mensaje.id}")
    m.set_content(mensaje.cuerpo, charset="utf-8")
    return m


def _enviar(mensajes: list[EmailMessage], correo: ConfiguracionCorreo) -> None:
    with smtplib.SMTP(correo.anfitrion, correo.puerto, timeout=correo.tiempo_espera) as smtp:
        smtp.ehlo()
        if correo.starttls:
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if correo.usuario:
            smtp.login(correo.usuario, correo.contrasena or "")
        for m in mensajes:
            smtp.send_message(m)


def despachar_pendientes(fabrica: sessionmaker[Session], correo: ConfiguracionCorreo, lote: int = 50) -> int:
    """Envía los mensajes vencidos; devuelve cuántos salieron.  Seguro con varios procesos."""
    enviados = 0
    while True:
        with transaccion(fabrica) as bd:
            consulta = (select(MensajeSaliente)
                        .where(MensajeSaliente.estado == "pendiente", MensajeSaliente.proximo_intento <= ahora())
                        .order_by(MensajeSaliente.id).limit(lote))
            if bd.get_bind().dialect.name == "postgresql":
                consulta = consulta.with_for_update(skip_locked=True)
            filas = list(bd.scalars(consulta))
            if not filas:
                return enviados
            for fila in filas:
                try:
                    _enviar([construir(fila, correo)], correo)
                except (OSError, smtplib.SMTPException) as e:
                    fila.intentos += 1
                    fila.ultimo_error = f"{type(e).__name__}: {str(e)[:200]}"
                    if fila.intentos >= correo.max_intentos:
                        fila.estado = "fallido"
                    else:
                        fila.proximo_intento = ahora() + timedelta(seconds=5 * 2 ** (fila.intentos - 1))
                    continue
                fila.intentos += 1
                fila.estado = "enviado"
                fila.enviado = ahora()
                fila.ultimo_error = ""
                if fila.sensible:
                    fila.cuerpo = ""
                enviados += 1
            if len(filas) < lote:
                return enviados
