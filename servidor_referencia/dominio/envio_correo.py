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
from email.utils import formatdate, make_msgid, parseaddr

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
    # Dominio del remitente: sin él, make_msgid consulta el nombre del equipo (socket.getfqdn),
    # que puede tardar segundos en una máquina sin DNS.
    dominio = parseaddr(correo.remitente)[1].rpartition("@")[2] or "vmre.local"
    m["Message-ID"] = make_msgid(idstring=f"vmre{mensaje.id}", domain=dominio)
    m.set_content(mensaje.cuerpo, charset="utf-8")
    return m


_LOCALES = frozenset({"localhost", "127.0.0.1", "::1"})


def _enviar(mensajes: list[EmailMessage], correo: ConfiguracionCorreo) -> None:
    with smtplib.SMTP(correo.anfitrion, correo.puerto, timeout=correo.tiempo_espera) as smtp:
        smtp.ehlo()
        if correo.starttls:
            smtp.starttls(context=ssl.create_default_context(cafile=correo.ca_archivo))
            smtp.ehlo()
        if correo.usuario:
            if not correo.starttls and correo.anfitrion not in _LOCALES:
                # La contraseña SMTP nunca viaja en claro por la red: sin STARTTLS, solo a este equipo.
                raise smtplib.SMTPException("se requiere STARTTLS para autenticarse ante un servidor SMTP remoto")
            smtp.login(correo.usuario, correo.contrasena or "")
        for m in mensajes:
            smtp.send_message(m)


def despachar_pendientes(fabrica: sessionmaker[Session], correo: ConfiguracionCorreo, lote: int = 50) -> int:
    """Envía los mensajes vencidos (18.13); devuelve cuántos salieron.  Seguro con varios procesos.

    La conversación SMTP ocurre fuera de toda transacción: primero se apartan los mensajes
    (su ``proximo_intento`` se corre un plazo de reserva, así otro despachador no los toma),
    luego se envían y al final se anota el resultado.  En SQLite una transacción abierta tiene
    el candado de escritura: mantenerla durante un SMTP lento detendría todas las peticiones.
    Si el proceso muere entre el envío y la anotación, el mensaje vuelve a salir al vencer la
    reserva (al menos una vez, nunca perdido).
    """
    enviados = 0
    while True:
        with transaccion(fabrica) as bd:
            consulta = (
                select(MensajeSaliente)
                .where(MensajeSaliente.estado == "pendiente", MensajeSaliente.proximo_intento <= ahora())
                .order_by(MensajeSaliente.id)
                .limit(lote)
            )
            if bd.get_bind().dialect.name == "postgresql":
                consulta = consulta.with_for_update(skip_locked=True)
            filas = list(bd.scalars(consulta))
            reserva = ahora() + timedelta(seconds=3 * correo.tiempo_espera + 60)
            tomados = []
            for fila in filas:
                tomados.append((fila.id, construir(fila, correo)))
                fila.proximo_intento = reserva
        if not tomados:
            return enviados
        errores: dict[int, str | None] = {}
        for ident, mensaje in tomados:
            try:
                _enviar([mensaje], correo)
                errores[ident] = None
            except (OSError, smtplib.SMTPException, UnicodeError, ValueError) as e:
                # UnicodeError: smtplib solo admite usuario/contraseña ASCII en AUTH; queda anotado
                # en el mensaje (sin los datos de acceso) en vez de tumbar al despachador.
                errores[ident] = f"{type(e).__name__}: {str(e)[:200]}"
        with transaccion(fabrica) as bd:
            for ident, error in errores.items():
                fila = bd.get(MensajeSaliente, ident)
                if fila is None or fila.estado != "pendiente":
                    continue
                fila.intentos += 1
                if error is not None:
                    fila.ultimo_error = error
                    if fila.intentos >= correo.max_intentos:
                        fila.estado = "fallido"
                    else:
                        fila.proximo_intento = ahora() + timedelta(seconds=5 * 2 ** (fila.intentos - 1))
                    continue
                fila.estado = "enviado"
                fila.enviado = ahora()
                fila.ultimo_error = ""
                if fila.sensible:
                    fila.cuerpo = ""
                enviados += 1
        if len(tomados) < lote:
            return enviados
