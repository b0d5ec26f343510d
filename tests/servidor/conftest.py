"""Fijaciones del servidor: base real (archivo SQLite o PostgreSQL), SMTP real (aiosmtpd) y app.

Con ``VMRE_PRUEBAS_POSTGRES=postgresql://…`` las mismas pruebas corren sobre PostgreSQL: cada
prueba usa un esquema nuevo que se borra al terminar.  ``.ci/run`` arranca un PostgreSQL
local y corre esta carpeta otra vez con esa variable.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import BaseWSGIServer, make_server

from servidor_referencia import Configuracion, ConfiguracionCorreo, crear_app
from servidor_referencia.clientes.chromium import ARGUMENTOS_CHROMIUM, CHROMIUM, TELEFONO

POSTGRES = os.environ.get("VMRE_PRUEBAS_POSTGRES")


def _cargar_herramientas() -> Any:
    """``tests/servidor/herramientas.py`` como módulo propio (sin ocupar el nombre para siempre)."""
    ruta = Path(__file__).with_name("herramientas.py")
    spec = importlib.util.spec_from_file_location("herramientas", ruta)
    assert spec is not None and spec.loader is not None
    modulo = importlib.util.module_from_spec(spec)
    anterior = sys.modules.get("herramientas")
    sys.modules["herramientas"] = modulo
    try:
        spec.loader.exec_module(modulo)
    finally:
        _reponer("herramientas", anterior)
    return modulo


def _reponer(nombre: str, modulo: Any) -> None:
    if modulo is None:
        sys.modules.pop(nombre, None)
    else:
        sys.modules[nombre] = modulo


HERRAMIENTAS = _cargar_herramientas()
# Este mismo conftest (algunas pruebas hacen «from conftest import CHROMIUM»; tests/registro
# también tiene un conftest.py).
_PROPIOS = {"herramientas": HERRAMIENTAS, "conftest": sys.modules[__name__]}


@contextmanager
def _herramientas_del_servidor() -> Iterator[None]:
    """Las pruebas de esta carpeta hacen ``from herramientas import …`` (y ``from conftest …``), y
    tests/registro también tiene ``herramientas.py`` y ``conftest.py``: con toda la suite en un
    proceso, el primero importado ocuparía el nombre.  Mientras se importa un módulo de esta carpeta, y mientras corre cada una de sus
    pruebas, ``herramientas`` es el de aquí; después vuelve el que hubiera (en cualquier orden)."""
    anteriores = {nombre: sys.modules.get(nombre) for nombre in _PROPIOS}
    sys.modules.update(_PROPIOS)
    try:
        yield
    finally:
        for nombre, modulo in anteriores.items():
            _reponer(nombre, modulo)


@pytest.fixture(autouse=True)
def _herramientas_en_uso() -> Iterator[None]:
    with _herramientas_del_servidor():
        yield


class _ModuloDelServidor(pytest.Module):
    """Módulo de prueba de esta carpeta importado con un nombre propio (``tests.servidor.test_x``).

    Sin paquetes (no hay ``__init__.py``), pytest importa cada archivo por su nombre corto y dos
    archivos ``test_x.py`` en carpetas distintas chocan («import file mismatch»).  Aquí se usa el
    modo «importlib» de pytest solo para esta carpeta (con reescritura de asserts).
    """

    def _getobj(self):  # type: ignore[no-untyped-def]
        from _pytest.pathlib import import_path

        with _herramientas_del_servidor():
            modulo = import_path(
                self.path, mode="importlib", root=self.config.rootpath, consider_namespace_packages=False
            )
        self.config.pluginmanager.consider_module(modulo)
        return modulo


def pytest_pycollect_makemodule(module_path: Path, parent: Any) -> pytest.Module | None:
    if module_path.name.startswith("test_") and module_path.suffix == ".py":
        return _ModuloDelServidor.from_parent(parent, path=module_path)  # type: ignore[no-any-return]
    return None


class Buzon:
    """Servidor SMTP local de verdad: guarda cada mensaje recibido, ya analizado."""

    def __init__(self) -> None:
        self.mensajes: list[EmailMessage] = []
        self._cerrojo = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        m = message_from_bytes(envelope.content, policy=policy.default)
        with self._cerrojo:
            self.mensajes.append(m)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def para(self, destinatario: str) -> list[EmailMessage]:
        with self._cerrojo:
            return [m for m in self.mensajes if destinatario.lower() in str(m["To"]).lower()]


puerto_libre = HERRAMIENTAS.puerto_libre


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


@dataclass(frozen=True)
class ServidorVivo:
    """La app servida por HTTP real en 127.0.0.1 (hilo de fondo, servidor de werkzeug con hilos)."""

    url: str
    app: Flask


@pytest.fixture
def servidor_vivo(app: Flask) -> Iterator[ServidorVivo]:
    """Sirve la fijación ``app`` por HTTP real en un puerto libre; se apaga al terminar la prueba."""
    servidor: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    hilo = threading.Thread(target=servidor.serve_forever, name="servidor-vivo", daemon=True)
    hilo.start()
    try:
        yield ServidorVivo(f"http://127.0.0.1:{servidor.server_port}", app)
    finally:
        servidor.shutdown()
        servidor.server_close()
        hilo.join(timeout=10)


# El fixture de sesión ``navegador`` vive en tests/conftest.py; el ejecutable y sus banderas, en
# servidor_referencia/clientes/chromium.py.  Se reexportan aquí porque algunas pruebas de esta carpeta
# hacen «from conftest import CHROMIUM».
__all__ = ["ARGUMENTOS_CHROMIUM", "CHROMIUM"]


@pytest.fixture
def pagina_movil(navegador: Any) -> Iterator[Any]:
    """Una página en un contexto nuevo con pantalla de teléfono (390×844, táctil, es-MX)."""
    contexto = navegador.new_context(**TELEFONO)
    pagina = contexto.new_page()
    try:
        yield pagina
    finally:
        contexto.close()
