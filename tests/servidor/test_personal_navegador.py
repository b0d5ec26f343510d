"""El personal en un navegador real (Chromium de Debian por Playwright) con pantalla de teléfono:
activación con QR y acceso con contraseña + TOTP, sin errores de la política de contenido."""

from __future__ import annotations

import re
import time
from typing import Any

from herramientas import crear_personal, cuerpo, despachar, sesion_api

from servidor_referencia.dominio.roles import Rol
from servidor_referencia.dominio.secretos import codigo_totp


def _vigilar_consola(pagina: Any) -> list[str]:
    errores: list[str] = []
    pagina.on("console", lambda m: errores.append(m.text) if m.type == "error" else None)
    pagina.on("pageerror", lambda e: errores.append(str(e)))
    return errores


def _sin_desbordar(pagina: Any) -> None:
    ancho = pagina.evaluate("document.documentElement.scrollWidth")
    assert ancho <= 390, f"la página se sale de la pantalla del teléfono: {ancho}px"


def test_activacion_y_acceso_en_telefono(servidor_vivo: Any, pagina_movil: Any, correo: Any) -> None:
    app = servidor_vivo.app
    cliente = app.test_client()
    h = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    r = cliente.post(
        "/api/v1/personal/usuarios",
        headers=h,
        json={"usuario": "movil", "nombre": "Persona Móvil", "correo": "movil@ine.example", "rol": "operador"},
    )
    assert r.status_code == 201
    despachar(app)
    testigo = re.search(r"/personal/activar/([A-Za-z0-9_-]+)", cuerpo(correo.para("movil@ine.example")[0])).group(1)  # type: ignore[union-attr]

    errores = _vigilar_consola(pagina_movil)
    pagina_movil.goto(f"{servidor_vivo.url}/personal/activar/{testigo}")
    assert pagina_movil.locator("img.qr").is_visible()
    assert pagina_movil.evaluate("document.querySelector('img.qr').naturalWidth") > 0  # el QR (data:) se dibujó
    secreto = pagina_movil.locator("#secreto-totp").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{32}", secreto)
    _sin_desbordar(pagina_movil)
    pagina_movil.fill("#codigo", codigo_totp(secreto))
    pagina_movil.fill("#contrasena", "contraseña-desde-el-telefono")
    pagina_movil.click("button[type=submit]")
    pagina_movil.wait_for_url(re.compile(r".*/personal/acceso$"))
    assert "Cuenta activada" in pagina_movil.content()

    pagina_movil.fill("#usuario", "movil")
    pagina_movil.fill("#contrasena", "contraseña-desde-el-telefono")
    pagina_movil.fill("#codigo", codigo_totp(secreto, time.time() + 30))  # el intervalo siguiente: sin repetir
    pagina_movil.click("button[type=submit]")
    pagina_movil.wait_for_url(re.compile(r".*/personal/$"))
    assert "movil" in pagina_movil.content()
    _sin_desbordar(pagina_movil)
    assert not [e for e in errores if "Content Security Policy" in e or "Refused" in e], errores
    assert errores == []


def test_acceso_equivocado_en_telefono(servidor_vivo: Any, pagina_movil: Any) -> None:
    p = crear_personal(servidor_vivo.app, Rol.AUDITOR)
    pagina_movil.goto(f"{servidor_vivo.url}/personal/acceso")
    pagina_movil.fill("#usuario", p.usuario)
    pagina_movil.fill("#contrasena", "contraseña-equivocada")
    pagina_movil.fill("#codigo", "123456")
    with pagina_movil.expect_response(lambda r: r.request.method == "POST") as respuesta:
        pagina_movil.click("button[type=submit]")
    assert respuesta.value.status == 401
    assert "Usuario, contraseña o código incorrectos." in pagina_movil.content()
    assert respuesta.value.headers["content-security-policy"].startswith("default-src 'self'")
