"""Utilidades de las pruebas del servidor: personal activo, sesiones, formularios con CSRF y correo."""

from __future__ import annotations

import re
import shutil
import sys
import time
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from servidor_referencia.bd.base import transaccion
from servidor_referencia.clientes.simulacro_infra import puerto_libre as puerto_libre  # para las pruebas
from servidor_referencia.dominio import personal
from servidor_referencia.dominio.envio_correo import despachar_pendientes
from servidor_referencia.dominio.roles import Rol
from servidor_referencia.dominio.secretos import codigo_totp, secreto_totp_nuevo

CONTRASENA = "contraseña-de-prueba-larga"
_CSRF = re.compile(r'name="_csrf" value="([^"]+)"')


@dataclass(frozen=True)
class Personal:
    id: int
    usuario: str
    rol: str
    contrasena: str
    secreto: str
    _pasos: list[int]

    def codigo(self) -> str:
        """Un código TOTP aún no usado (cada inicio de sesión consume un intervalo).

        Nunca el del intervalo anterior: si el intervalo cambiara antes de verificarse, ya no valdría
        (el servidor acepta solo el anterior, el actual y el siguiente)."""
        paso = max(int(time.time() // 30), self._pasos[-1] + 1)
        self._pasos.append(paso)
        if paso > int(time.time() // 30) + 1:
            time.sleep(30 * (paso - int(time.time() // 30) - 1) + 0.5)
        return codigo_totp(self.secreto, paso * 30 + 1)


def _lejos_del_cambio_de_intervalo() -> None:
    """Si faltan menos de 1 s para el siguiente intervalo TOTP, espera a que empiece: un código del
    intervalo anterior generado justo antes del cambio ya no valdría al verificarse."""
    resto = 30 - time.time() % 30
    if resto < 1:
        time.sleep(resto + 0.05)


def crear_personal(app: Flask, rol: Rol, usuario: str | None = None) -> Personal:
    usuario = usuario or f"{rol.value.replace('_', '-')}-{time.monotonic_ns() % 10**9}"
    secreto = secreto_totp_nuevo()
    _lejos_del_cambio_de_intervalo()
    paso = int(time.time() // 30) - 1
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        fila = personal.crear_usuario(
            bd, usuario, f"Persona {usuario}", f"{usuario}@ine.example", rol, "prueba", "prueba"
        )
        personal.activar(bd, fila, CONTRASENA, secreto, codigo_totp(secreto, paso * 30 + 1))
        ident = fila.id
    return Personal(ident, usuario, rol.value, CONTRASENA, secreto, [paso])


def cabecera(testigo: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {testigo}"}


def sesion_api(cliente: FlaskClient, p: Personal) -> dict[str, str]:
    r = cliente.post("/api/v1/sesion", json={"usuario": p.usuario, "contrasena": p.contrasena, "codigo": p.codigo()})
    assert r.status_code == 201, r.get_json()
    return cabecera(r.get_json()["testigo"])


def csrf_de(html: str) -> str:
    m = _CSRF.search(html)
    assert m, "la página no tiene testigo CSRF"
    return m.group(1)


def enviar_formulario(
    cliente: FlaskClient, url: str, datos: dict[str, Any], url_get: str | None = None, **kw: Any
) -> Any:
    pagina = cliente.get(url_get or url)
    return cliente.post(url, data={**datos, "_csrf": csrf_de(pagina.get_data(as_text=True))}, **kw)


def entrar_paginas(cliente: FlaskClient, p: Personal) -> None:
    r = enviar_formulario(
        cliente, "/personal/acceso", {"usuario": p.usuario, "contrasena": p.contrasena, "codigo": p.codigo()}
    )
    assert r.status_code == 302, r.get_data(as_text=True)


def despachar(app: Flask) -> int:
    vmre = app.extensions["vmre"]
    return despachar_pendientes(vmre["fabrica"], vmre["configuracion"].correo)


def cuerpo(mensaje: EmailMessage) -> str:
    parte = mensaje.get_body(preferencelist=("plain",))
    assert parte is not None
    return str(parte.get_content())


def vmre_instalada() -> str:
    """La orden ``vmre`` del mismo entorno que corre las pruebas; sin ella, la prueba se salta."""
    junto = Path(sys.executable).parent / "vmre"
    ruta = str(junto) if junto.exists() else shutil.which("vmre")
    if not ruta:
        pytest.skip("no está instalada la orden vmre (pip install -e .)")
    return ruta
