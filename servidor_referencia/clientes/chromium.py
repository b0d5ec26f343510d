"""Chromium de Debian para quien maneja la cabina web con Playwright (§22, §24).

Lo usan ``vmre simulacro --navegador``, la medición ``benchmarks.navegador`` y las pruebas de
navegador: un solo lugar para el ejecutable y sus banderas.  Las banderas de red evitan que
Chromium intente hablar con servicios de Google, que en una máquina sin salida a internet solo
producen conexiones rechazadas.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Chromium de Debian (``apt-get install chromium``); ``VMRE_CHROMIUM`` elige otro ejecutable.
CHROMIUM = Path(os.environ.get("VMRE_CHROMIUM", "/usr/bin/chromium"))

ARGUMENTOS_CHROMIUM = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: Pantalla de teléfono de las pruebas y del simulacro (390×844, táctil, es-MX).
TELEFONO = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "locale": "es-MX",
    "device_scale_factor": 3,
}
