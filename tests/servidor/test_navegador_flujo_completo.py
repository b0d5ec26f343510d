"""De la solicitud a la credencial, en páginas reales: la persona en un teléfono, el personal en
escritorio, el servidor por HTTP real, el correo por SMTP real y la autoridad de credenciales con
su propia orden.  Es el «hecho cuando» de la fase de registro, paso por paso:

paso_1 solicitud (teléfono) → paso_2 dictamen procedente (operador) → paso_3 corte electrónico de
la LNERE y su código de integridad, comprobado con ``vmre lnere verificar`` (administración) →
paso_4 cuentas de acceso → paso_5 activación desde el enlace del correo (teléfono) →
paso_6 credenciales de votación (autoridad de credenciales) → paso_7 acceso del elector.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from conftest import CHROMIUM, Buzon, ServidorVivo
from flask import Flask
from flask.testing import FlaskClient
from herramientas import Personal, crear_personal, cuerpo, despachar, sesion_api
from srve_datos import solicitud

from servidor_referencia.clientes.cli_credenciales import credenciales
from servidor_referencia.dominio.roles import Rol
from servidor_referencia.dominio.secretos import codigo_totp
from vmre_crypto import GRUPO_ESTANDAR, decodificar_credencial_secreta

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"no hay Chromium en {CHROMIUM}: instale el paquete chromium de Debian"
)

CONTRASENA_ELECTOR = "mi contraseña de elector 2027"


def _entrar_personal(navegador: Any, url: str, persona: Personal) -> Any:
    contexto = navegador.new_context(locale="es-MX", viewport={"width": 1280, "height": 900})
    pagina = contexto.new_page()
    pagina.goto(url + "/personal/acceso")
    pagina.fill("#usuario", persona.usuario)
    pagina.fill("#contrasena", persona.contrasena)
    pagina.fill("#codigo", persona.codigo())
    pagina.get_by_role("button", name="Entrar").click()
    pagina.wait_for_url("**/personal/")
    return pagina


def _sin_errores_de_consola(pagina: Any) -> list[str]:
    errores: list[str] = []
    pagina.on("console", lambda m: errores.append(m.text) if m.type == "error" else None)
    return errores


def test_de_la_solicitud_a_la_credencial_en_paginas_reales(
    servidor_vivo: ServidorVivo,
    navegador: Any,
    pagina_movil: Any,
    app: Flask,
    cliente: FlaskClient,
    correo: Buzon,
    buzon: tuple[Buzon, int],
    tmp_path: Path,
) -> None:
    url = servidor_vivo.url
    operador = crear_personal(app, Rol.OPERADOR)
    administrador = crear_personal(app, Rol.ADMINISTRADOR)
    autoridad = crear_personal(app, Rol.AUTORIDAD_CREDENCIALES)
    persona = solicitud(
        41,
        correo="ana.elector@example.com",
        telefono="+49 151 2345 6789",
        pais="DE",
        ciudad="Berlín",
        region="Berlín",
        codigo_postal="10115",
        calle_numero="Unter den Linden 5",
    )
    telefono = pagina_movil
    errores_consola = _sin_errores_de_consola(telefono)

    # paso_1: la persona llena la solicitud en su teléfono y recibe el folio.
    telefono.goto(url + "/srve/solicitud")
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
        "fecha_nacimiento",
    ):
        telefono.fill(f"#{campo}", persona[campo])
    for campo in ("tipo_credencial", "entidad", "pais", "modalidad"):
        telefono.select_option(f"#{campo}", persona[campo])
    telefono.get_by_role("button", name="Enviar solicitud").tap()
    telefono.wait_for_url("**/srve/solicitud/recibida")
    folio = telefono.locator("#folio").inner_text().strip()
    despachar(app)
    assert any(folio in cuerpo(m) for m in correo.para(persona["correo"]))

    # paso_2: el operador dictaminador la declara procedente.
    escritorio = _entrar_personal(navegador, url, operador)
    escritorio.goto(f"{url}/srve/bandeja/{folio}")
    escritorio.check("input[name=resultado][value=procedente]")
    escritorio.get_by_role("button", name="Registrar dictamen").click()
    escritorio.wait_for_load_state()
    escritorio.goto(f"{url}/srve/bandeja/{folio}")
    assert "Procedente" in escritorio.content()
    escritorio.context.close()

    # paso_3: la administración corta la LNERE electrónica; el código de integridad se comprueba
    # de forma independiente sobre el documento descargado.
    escritorio = _entrar_personal(navegador, url, administrador)
    escritorio.goto(url + "/lnere/cortes")
    escritorio.select_option("#modalidad", "electronica")
    escritorio.get_by_role("button", name="Crear el corte").click()
    escritorio.wait_for_load_state()
    api_admin = sesion_api(cliente, administrador)
    cortes = cliente.get("/api/v1/lnere/cortes?modalidad=electronica", headers=api_admin).get_json()["cortes"]
    assert len(cortes) == 1 and cortes[0]["num_registros"] == 1
    corte = cortes[0]
    assert corte["codigo_integridad"] in escritorio.content() or corte["codigo_integridad"][:16] in escritorio.content()
    documento = cliente.get(f"/api/v1/lnere/cortes/{corte['id']}/documento", headers=api_admin).data
    assert hashlib.sha256(documento).hexdigest() == corte["codigo_integridad"]
    assert persona["clave_elector"].encode() in documento
    archivo = tmp_path / "lnere.jsonl"
    archivo.write_bytes(documento)
    verificado = subprocess.run(
        [
            sys.executable,
            "-m",
            "vmre_crypto",
            "lnere",
            "verificar",
            str(archivo),
            "--codigo",
            corte["codigo_integridad"],
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert verificado.returncode == 0, verificado.stdout + verificado.stderr

    # paso_4: cuentas de acceso para el corte electrónico, con su enlace de activación por correo.
    escritorio.goto(url + "/personal/cuentas")
    escritorio.locator(f"#corte-{corte['id']}").get_by_role(
        "button", name="Crear cuentas y enviar enlaces de activación"
    ).click()
    escritorio.wait_for_load_state()
    escritorio.context.close()
    despachar(app)
    enlaces = [re.search(r"https?://\S+/elector/activar/\S+", cuerpo(m)) for m in correo.para(persona["correo"])]
    enlace = next(e.group(0) for e in enlaces if e)

    # paso_5: la persona activa su cuenta en el teléfono: últimos 4 dígitos, contraseña y TOTP.
    telefono.goto(url + urlsplit(enlace).path)
    telefono.fill("#ultimos_digitos_telefono", "6789")
    telefono.fill("#contrasena", CONTRASENA_ELECTOR)
    secreto = telefono.locator("#secreto-totp").inner_text().strip()
    telefono.fill("#codigo", codigo_totp(secreto))
    telefono.get_by_role("button", name=re.compile("Activar")).tap()
    telefono.wait_for_url("**/elector/acceso**")

    # paso_6: la autoridad de credenciales genera, envía por su propio SMTP y carga la lista pública.
    r = CliRunner().invoke(
        credenciales,
        [
            "generar",
            "--servidor",
            url,
            "--usuario",
            autoridad.usuario,
            "--corte",
            str(corte["id"]),
            "--smtp-anfitrion",
            "127.0.0.1",
            "--smtp-puerto",
            str(buzon[1]),
        ],
        env={"VMRE_CONTRASENA": autoridad.contrasena, "VMRE_TOTP_SECRETO": autoridad.secreto},
    )
    assert r.exit_code == 0, r.output
    h_c = re.search(r"H_C = ([0-9a-f]{64})", r.output)
    assert h_c
    mensajes = [m for m in correo.para(persona["correo"]) if "credencial de votación" in str(m["Subject"])]
    assert len(mensajes) == 1
    texto = re.search(r"\b([0-9A-Z]{4}(?:-[0-9A-Z]{4}){13})\b", cuerpo(mensajes[0]))
    assert texto
    par = decodificar_credencial_secreta(GRUPO_ESTANDAR, texto.group(1))
    lista = cliente.get(
        f"/api/v1/credenciales/cortes/{corte['id']}",
        headers=sesion_api(cliente, crear_personal(app, Rol.REPRESENTANTE)),
    ).get_json()
    assert lista["hash_lista"] == h_c.group(1) and lista["num_credenciales"] == 1
    assert format(int(par.publica.valor), "01024X") in lista["publicas"]

    # paso_7: la persona entra a su cuenta (otro código TOTP: el de la activación ya se usó).
    telefono.fill("#correo", persona["correo"])
    telefono.fill("#contrasena", CONTRASENA_ELECTOR)
    telefono.fill("#codigo", codigo_totp(secreto, time.time() + 30))
    telefono.get_by_role("button", name="Entrar").tap()
    telefono.wait_for_url("**/elector/")
    assert telefono.locator("#estado").inner_text().strip() in ("activa", "Activa")
    assert "Jalisco" in telefono.locator("#entidad").inner_text()
    assert "Alemania" in telefono.locator("#pais").inner_text()
    assert telefono.evaluate("document.documentElement.scrollWidth") <= 390
    assert not errores_consola, errores_consola
