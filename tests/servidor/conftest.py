"""Fijaciones del servidor: base real (archivo SQLite o PostgreSQL), SMTP real (aiosmtpd) y app.

Con ``VMRE_PRUEBAS_POSTGRES=postgresql://…`` las mismas pruebas corren sobre PostgreSQL: cada
prueba usa un esquema nuevo que se borra al terminar.  ``.ci/run`` arranca un PostgreSQL
local y corre esta carpeta otra vez con esa variable.
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient

from servidor_referencia import Configuracion, ConfiguracionCorreo, crear_app

POSTGRES = os.environ.get("VMRE_PRUEBAS_POSTGRES")


class Buzon:
    """Servidor SMTP local de verdad: guarda cada mensaje recibido, ya analizado."""

    def __init__(self) -> None:
        self.mensajes: list[EmailMessage] = []
        self._cerrojo = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
        m = message_from_bytes(envelope.content, policy=policy.default)
        with self._cerrojo:
            self.mensajes.append(m)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def para(self, destinatario: str) -> list[EmailMessage]:
        with self._cerrojo:
            return [m for m in self.mensajes if destinatario.lower() in str(m["To"]).lower()]


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def buzon() -> Iterator[tuple[Buzon, int]]:
    b = Buzon()
    puerto = puerto_libre()
    controlador = Controller(b, hostname="127.0.0.1", port=puerto)
    controlador.start()
    try:
        yield b, puerto
    finally:
        controlador.stop()


@pytest.fixture
def url_bd(tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if not POSTGRES:
        yield f"sqlite:///{tmp_path / 'servidor.sqlite3'}"
        return
    import sqlalchemy as sa

    esquema = f"prueba_{secrets.token_hex(6)}"
    motor = sa.create_engine(POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1))
    with motor.begin() as c:
        c.execute(sa.text(f"CREATE SCHEMA {esquema}"))
    separador = "&" if "?" in POSTGRES else "?"
    try:
        yield f"{POSTGRES}{separador}options=-csearch_path%3D{esquema}"
    finally:
        with motor.begin() as c:
            c.execute(sa.text(f"DROP SCHEMA {esquema} CASCADE"))
        motor.dispose()


@pytest.fixture
def configuracion(url_bd: str, buzon: tuple[Buzon, int]) -> Configuracion:
    return Configuracion(
        url_bd=url_bd,
        clave_secreta=b"clave de pruebas " * 2,
        url_publica="http://localhost",
        correo=ConfiguracionCorreo(anfitrion="127.0.0.1", puerto=buzon[1]),
        enviar_correo_en_segundo_plano=False,
    )


@pytest.fixture
def app(configuracion: Configuracion) -> Iterator[Flask]:
    aplicacion = crear_app(configuracion)
    aplicacion.config["TESTING"] = True
    yield aplicacion
    aplicacion.extensions["vmre"]["motor"].dispose()


@pytest.fixture
def cliente(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def correo(buzon: tuple[Buzon, int]) -> Buzon:
    return buzon[0]
