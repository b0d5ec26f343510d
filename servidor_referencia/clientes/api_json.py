"""Lo común a los clientes que corren fuera del servidor (autoridad de credenciales, custodios,
votante): JSON sobre HTTP con la biblioteca estándar, ``Authorization: Bearer`` y los errores
del servidor conservados con su código estable (§18.5)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any, ClassVar

import pyotp

TIEMPO_ESPERA_HTTP = 120.0


class ErrorCliente(Exception):
    """Una falla que la orden muestra tal cual: código estable y mensaje en español."""

    def __init__(self, codigo: str, mensaje: str, detalles: dict[str, Any] | None = None) -> None:
        super().__init__(mensaje)
        self.codigo = codigo
        self.mensaje = mensaje
        self.detalles = detalles or {}


class ClienteJSON:
    """Cliente de la API ``/api/v1``.  Cada cliente fija su clase de error y su código sin conexión."""

    Error: ClassVar[type[ErrorCliente]] = ErrorCliente
    CODIGO_SIN_CONEXION: ClassVar[str] = "sin_conexion"

    def __init__(self, servidor: str) -> None:
        self.servidor = servidor.rstrip("/")
        self.base = self.servidor + "/api/v1"
        self.testigo: str | None = None

    def pedir(self, metodo: str, ruta: str, cuerpo: dict[str, Any] | None = None) -> Any:
        datos = None if cuerpo is None else json.dumps(cuerpo).encode("utf-8")
        cabeceras = {"Accept": "application/json"}
        if datos is not None:
            cabeceras["Content-Type"] = "application/json"
        if self.testigo:
            cabeceras["Authorization"] = f"Bearer {self.testigo}"
        peticion = urllib.request.Request(self.base + ruta, data=datos, method=metodo, headers=cabeceras)
        try:
            with urllib.request.urlopen(peticion, timeout=TIEMPO_ESPERA_HTTP) as r:
                return json.loads(r.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            try:
                error = json.loads(e.read().decode("utf-8"))["error"]
                codigo, mensaje, detalles = error["codigo"], error["mensaje"], error.get("detalles") or {}
            except (ValueError, KeyError, TypeError):
                raise self.Error("http", f"El servidor respondió {e.code} sin un error reconocible.") from None
            raise self.Error(str(codigo), str(mensaje), detalles) from None
        except (urllib.error.URLError, OSError) as e:
            motivo = getattr(e, "reason", e)
            raise self.Error(self.CODIGO_SIN_CONEXION, f"No se pudo conectar con el servidor: {motivo}.") from None

    def iniciar_sesion_personal(
        self, usuario: str, contrasena: str, codigo: Callable[[int], str], reintentar: bool, rol: str, nombre_rol: str
    ) -> None:
        """Contraseña + TOTP del personal.  ``codigo(k)`` da el código del intervalo actual + k; con el
        secreto a la mano, si el servidor rechaza el código (p. ej. ya usado en este intervalo) se
        reintenta una vez con el del intervalo siguiente, que el servidor acepta (deriva de ±30 s, 18.7)."""
        cuerpo = {"usuario": usuario, "contrasena": contrasena, "codigo": codigo(0)}
        try:
            r = self.pedir("POST", "/sesion", cuerpo)
        except ErrorCliente as e:
            if not reintentar or e.codigo not in ("credenciales_invalidas", "segundo_factor_invalido"):
                raise
            r = self.pedir("POST", "/sesion", {**cuerpo, "codigo": codigo(1)})
        if r.get("rol") != rol:
            raise self.Error("rol_no_permitido", f"La cuenta no tiene el rol de {nombre_rol}.")
        self.testigo = r["testigo"]


def codigo_desde_secreto(secreto: str) -> Callable[[int], str]:
    """Códigos TOTP a partir del secreto base32: ``codigo(k)`` = el del intervalo actual + k."""
    totp = pyotp.TOTP(secreto.strip().replace(" ", "").upper())
    return lambda desfase: totp.at(time.time() + 30 * desfase)
