"""Servidor de referencia de vmre (SRVE, LNERE, cuentas de acceso y credenciales).

Uso: ``crear_app(Configuracion(url_bd=...))`` o, desde la terminal, ``vmre servidor iniciar``.
Este paquete solo importa la API pública ``vmre_crypto`` de la biblioteca.
"""

from .configuracion import Configuracion, ConfiguracionCorreo
from .web.aplicacion import crear_app

__all__ = ["Configuracion", "ConfiguracionCorreo", "crear_app"]
