"""Hilo que vacía la bandeja de salida del correo mientras el servidor corre.

Se despierta tras cada petición que confirmó (``despertar``) y, por si acaso, cada 5 s.
Con ``enviar_correo_en_segundo_plano=False`` no arranca: las pruebas llaman
``despachar_pendientes`` directamente.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask

from ..dominio.envio_correo import despachar_pendientes

registro = logging.getLogger("vmre.correo")


class Despachador:
    def __init__(self, app: Flask) -> None:
        vmre = app.extensions["vmre"]
        self._fabrica = vmre["fabrica"]
        self._correo = vmre["configuracion"].correo
        self._evento = threading.Event()
        self._alto = threading.Event()
        self._hilo = threading.Thread(target=self._ciclo, name="vmre-correo", daemon=True)

    def iniciar(self) -> None:
        self._hilo.start()

    def despertar(self) -> None:
        self._evento.set()

    def detener(self) -> None:
        self._alto.set()
        self._evento.set()
        self._hilo.join(timeout=10)

    def _ciclo(self) -> None:
        while not self._alto.is_set():
            self._evento.wait(timeout=5.0)
            self._evento.clear()
            try:
                despachar_pendientes(self._fabrica, self._correo)
            except Exception:  # la base puede estar ocupada o caída: se reintenta en el siguiente ciclo
                registro.exception("no se pudo vaciar la bandeja de salida")


def iniciar_despachador(app: Flask) -> None:
    if not app.extensions["vmre"]["configuracion"].enviar_correo_en_segundo_plano:
        return
    despachador = Despachador(app)
    app.extensions["vmre"]["despachador"] = despachador
    despachador.iniciar()

    @app.teardown_request
    def _despertar(_error: BaseException | None) -> None:  # después de confirmar la transacción
        despachador.despertar()
