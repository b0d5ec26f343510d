"""Fijaciones de las pruebas de interoperabilidad de la biblioteca JavaScript (``vmre.js``) con Python.

La app real (``crear_app`` con una base SQLite temporal) se sirve por HTTP en un hilo una sola
vez por sesión: así los módulos de ``/estaticos/vmre/`` llegan con las cabeceras de verdad,
incluida la CSP estricta (sin ``unsafe-eval`` ni ``wasm-unsafe-eval``), que la biblioteca debe
respetar.  Cada módulo de pruebas abre UNA página del mismo origen (``pagina_vmre``) e importa
la biblioteca con ``await import("/estaticos/vmre/vmre.js")``; cada prueba evalúa su JavaScript
en esa página.  Nada aquí usa la base de datos: estas pruebas no se repiten en la corrida de
PostgreSQL.

La fuente de azar determinista de JavaScript (``fuente_determinista.js``, archivo de prueba) se
entrega con ``page.route`` en ``/estaticos/vmre-pruebas/`` del mismo origen, de modo que la CSP la
acepta como módulo propio sin abrir nada.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from interop_js import (
    AQUI,
    RUTA_PRUEBAS_JS,
    EleccionNavegador,
    PaginaVmre,
    ServidorEstaticos,
    crear_eleccion,
    manifiesto_navegador,
)
from werkzeug.serving import BaseWSGIServer, make_server

from servidor_referencia import Configuracion, crear_app


@pytest.fixture(scope="session")
def eleccion() -> EleccionNavegador:
    return crear_eleccion("vmre-navegador/eleccion", manifiesto_navegador())


@pytest.fixture(scope="session")
def servidor_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServidorEstaticos]:
    """La app real sobre SQLite temporal, por HTTP real en 127.0.0.1 (hilo de fondo, toda la sesión)."""
    base = tmp_path_factory.mktemp("navegador") / "servidor.sqlite3"
    app = crear_app(
        Configuracion(
            url_bd=f"sqlite:///{base}",
            clave_secreta=b"clave de pruebas del navegador!!",
            url_publica="http://localhost",
            enviar_correo_en_segundo_plano=False,
        )
    )
    servidor: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    hilo = threading.Thread(target=servidor.serve_forever, name="servidor-navegador", daemon=True)
    hilo.start()
    try:
        yield ServidorEstaticos(f"http://127.0.0.1:{servidor.server_port}")
    finally:
        servidor.shutdown()
        servidor.server_close()
        hilo.join(timeout=10)
        app.extensions["vmre"]["motor"].dispose()


@pytest.fixture(scope="module")
def pagina_vmre(navegador: Any, servidor_app: ServidorEstaticos) -> Iterator[PaginaVmre]:
    """Una página por módulo de pruebas: la de inicio de la app, con la biblioteca ya importada.

    Cualquier error de la consola o violación de la CSP hace fallar la prueba al cerrar el módulo.
    """
    contexto = navegador.new_context(locale="es-MX")
    pagina = contexto.new_page()
    errores: list[str] = []
    pagina.on("console", lambda m: errores.append(m.text) if m.type == "error" else None)
    pagina.on("pageerror", lambda e: errores.append(str(e)))

    def servir_prueba(ruta: Any) -> None:
        nombre = ruta.request.url.rsplit("/", 1)[-1]
        archivo = AQUI / nombre
        if nombre.endswith(".js") and archivo.is_file():
            ruta.fulfill(status=200, content_type="text/javascript; charset=utf-8", body=archivo.read_text("utf-8"))
        else:
            ruta.fulfill(status=404, body="")

    pagina.route(f"{servidor_app.url}{RUTA_PRUEBAS_JS}*", servir_prueba)
    respuesta = pagina.goto(servidor_app.url + "/")
    assert respuesta is not None and respuesta.ok
    assert "script-src 'self'" in (respuesta.headers.get("content-security-policy") or "")
    vmre = PaginaVmre(pagina, servidor_app.url)
    assert vmre.js("return vmre.VERSION;") == "vmre-1.0"
    try:
        yield vmre
    finally:
        contexto.close()
    assert not errores, f"errores en la consola del navegador: {errores}"
