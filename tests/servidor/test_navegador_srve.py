"""Navegador real (Chromium de Debian manejado por Playwright) en pantalla de teléfono: presentar
una solicitud, leer el folio, seguirla y recuperar el folio por correo (SMTP local real)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import CHROMIUM, Buzon, ServidorVivo
from herramientas import cuerpo, despachar
from srve_datos import solicitud

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"no hay Chromium en {CHROMIUM}: instale el paquete chromium de Debian"
)


def test_solicitud_seguimiento_y_recuperacion_en_telefono(
    servidor_vivo: ServidorVivo, pagina_movil: Any, correo: Buzon
) -> None:
    pagina = pagina_movil
    url = servidor_vivo.url
    datos = solicitud(
        7,
        correo="movil@example.com",
        telefono="+34 612 345 678",
        pais="ES",
        ciudad="Madrid",
        region="Madrid",
        codigo_postal="28013",
        calle_numero="Calle Mayor 10, 3.º B",
    )

    # Paso 1: desde el inicio, ir a la solicitud y llenarla.
    pagina.goto(url + "/")
    pagina.get_by_role("link", name="Solicitar mi inscripción").click()
    pagina.wait_for_url("**/srve/solicitud")
    assert pagina.evaluate("document.documentElement.scrollWidth") <= 390  # sin desplazamiento horizontal
    for campo in (
        "nombres",
        "primer_apellido",
        "segundo_apellido",
        "clave_elector",
        "ocr",
        "calle_numero",
        "ciudad",
        "region",
        "codigo_postal",
        "correo",
        "telefono",
    ):
        pagina.fill(f"#{campo}", datos[campo])
    pagina.fill("#fecha_nacimiento", datos["fecha_nacimiento"])
    pagina.select_option("#tipo_credencial", datos["tipo_credencial"])
    pagina.select_option("#entidad", datos["entidad"])
    pagina.select_option("#pais", datos["pais"])
    pagina.select_option("#modalidad", datos["modalidad"])
    pagina.get_by_role("button", name="Enviar solicitud").tap()

    # Paso 2: el folio aparece en pantalla.
    pagina.wait_for_url("**/srve/solicitud/recibida")
    folio = pagina.locator("#folio").inner_text().strip()
    assert re.fullmatch(r"VMRE-\d{2}-\d{7}-[A-Z]", folio), folio
    caja = pagina.locator("#folio").bounding_box()
    assert caja is not None and caja["x"] >= 0 and caja["x"] + caja["width"] <= 390

    # Paso 3: seguimiento con folio y correo.
    pagina.get_by_role("link", name="Consultar el seguimiento").click()
    pagina.wait_for_url("**/srve/seguimiento")
    pagina.fill("#folio", folio.lower())
    pagina.fill("#correo-seguimiento", "movil@example.com")
    pagina.get_by_role("button", name="Consultar").tap()
    pagina.wait_for_selector("#resultado")
    assert pagina.locator("#estado").inner_text() == "En revisión"
    assert "Solicitud recibida" in pagina.locator("#historial").inner_text()

    # Paso 4: recuperar el folio; el correo llega al servidor SMTP local.
    pagina.get_by_role("link", name="¿Perdió su folio? Recupérelo por correo").click()
    pagina.wait_for_url("**/srve/recuperar-folio")
    pagina.fill("#correo", "movil@example.com")
    pagina.get_by_role("button", name="Enviarme mi folio").tap()
    pagina.wait_for_selector("#recuperacion-enviada")
    despachar(servidor_vivo.app)
    mensajes = correo.para("movil@example.com")
    asuntos = [m["Subject"] for m in mensajes]
    assert any(folio in a for a in asuntos), asuntos  # confirmación al presentar
    recuperacion = [m for m in mensajes if "Recuperación" in m["Subject"]]
    assert len(recuperacion) == 1 and folio in cuerpo(recuperacion[0])
