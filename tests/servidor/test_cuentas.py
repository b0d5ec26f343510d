"""Cuentas de acceso de electores (§17.2–§17.4) por HTTP: alta por corte electrónico con correo
real, activación por enlace de un solo uso (página y API), acceso con contraseña + TOTP,
límites de intentos, vencimiento de sesión y roles.

``crear_corte`` es la pequeña fábrica de cortes de la LNERE que usan también las pruebas de
credenciales: escribe ``Solicitud``, ``CorteLNERE`` y ``RegistroLNERE`` directamente.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest
from flask import Flask
from flask.testing import FlaskClient
from herramientas import cabecera, crear_personal, cuerpo, despachar, enviar_formulario, sesion_api
from sqlalchemy import func, select

from servidor_referencia.bd.base import ahora, transaccion
from servidor_referencia.bd.cuentas import CuentaElector
from servidor_referencia.bd.lnere import CorteLNERE, RegistroLNERE
from servidor_referencia.bd.personal import EnlaceActivacion, EntradaBitacora, Sesion, Usuario
from servidor_referencia.bd.srve import Solicitud
from servidor_referencia.dominio.roles import Rol
from servidor_referencia.dominio.secretos import codigo_totp, secreto_totp_nuevo

if TYPE_CHECKING:
    from conftest import Buzon

CONTRASENA_ELECTOR = "mi-contraseña-de-elector"
_ENLACE = re.compile(r"http://localhost/elector/activar/([A-Za-z0-9_-]+)")


# ---------------------------------------------------------------- fábrica de cortes


@dataclass(frozen=True)
class Elector:
    folio: str
    clave: str
    correo: str
    telefono: str
    entidad: str
    pais: str


@dataclass(frozen=True)
class Corte:
    id: int
    electores: list[Elector]


def _fabrica(app: Flask):  # type: ignore[no-untyped-def]
    return app.extensions["vmre"]["fabrica"]


def crear_corte(
    app: Flask, n: int, *, modalidad: str = "electronica", prefijo: str = "e", electores: list[Elector] | None = None
) -> Corte:
    """Un corte con ``n`` electores (o los dados), con solicitudes procedentes que los respaldan."""
    with transaccion(_fabrica(app)) as bd:
        autor = bd.scalars(select(Usuario).limit(1)).first()
        if autor is None:
            autor = Usuario(
                usuario=f"fabrica-{time.monotonic_ns()}",
                nombre="Fábrica",
                correo="fabrica@ine.example",
                rol="administrador",
            )
            bd.add(autor)
            bd.flush()
        version = (bd.scalar(select(func.max(CorteLNERE.version)).where(CorteLNERE.modalidad == modalidad)) or 0) + 1
        sello = f"{modalidad[:1]}{version}{prefijo}"
        if electores is None:
            electores = [
                Elector(
                    folio=f"F-{sello}-{i:04d}",
                    clave=f"PRUEBA{version:02d}{i:06d}H{len(prefijo):03d}"[:18],
                    correo=f"elector.{sello}.{i}@correo.example",
                    telefono=f"+1202555{version:02d}{i:02d}",
                    entidad=f"{(i % 32) + 1:02d}",
                    pais="US",
                )
                for i in range(n)
            ]
        documento = "\n".join(f"{e.clave}|{e.correo}" for e in electores).encode()
        corte = CorteLNERE(
            modalidad=modalidad,
            version=version,
            creado_por=autor.id,
            num_registros=len(electores),
            codigo_integridad=hashlib.sha256(documento).hexdigest(),
            documento=documento,
        )
        bd.add(corte)
        bd.flush()
        for e in electores:
            s = Solicitud(
                folio=f"{e.folio}-{corte.id}",
                activa=False,
                estado="procedente",
                canal="portal",
                nombres="Ana",
                primer_apellido="Prueba",
                fecha_nacimiento=date(1990, 1, 1),
                clave_elector=e.clave,
                tipo_credencial="extranjero",
                entidad=e.entidad,
                pais=e.pais,
                domicilio={"linea1": "1 Main St"},
                correo=e.correo,
                telefono=e.telefono,
                modalidad=modalidad,
            )
            bd.add(s)
            bd.flush()
            bd.add(
                RegistroLNERE(
                    corte_id=corte.id,
                    solicitud_id=s.id,
                    folio=e.folio,
                    clave_elector=e.clave,
                    nombres="Ana",
                    primer_apellido="Prueba",
                    segundo_apellido="",
                    fecha_nacimiento=date(1990, 1, 1),
                    entidad=e.entidad,
                    pais=e.pais,
                    correo=e.correo,
                    telefono=e.telefono,
                    modalidad=modalidad,
                )
            )
        ident = corte.id
    return Corte(ident, list(electores))


def contar(app: Flask, modelo: type, *condiciones: object) -> int:
    with transaccion(_fabrica(app)) as bd:
        return int(bd.scalar(select(func.count()).select_from(modelo).where(*condiciones)) or 0)


def codigo_en(secreto: str, desfase_pasos: int) -> str:
    """Código TOTP del intervalo actual + ``desfase_pasos`` (el servidor acepta −1, 0 y +1)."""
    return codigo_totp(secreto, time.time() + 30 * desfase_pasos)


def crear_cuentas(cliente: FlaskClient, app: Flask, corte: Corte, correo: Buzon) -> dict[str, str]:
    """Alta por la API de administración; devuelve el testigo de activación de cada correo."""
    admin = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    r = cliente.post("/api/v1/elector/cuentas", headers=admin, json={"corte": corte.id})
    assert r.status_code == 201, r.get_json()
    despachar(app)
    testigos = {}
    for e in corte.electores:
        if mensajes := correo.para(e.correo):
            m = _ENLACE.search(cuerpo(mensajes[-1]))
            assert m, cuerpo(mensajes[-1])
            testigos[e.correo] = m.group(1)
    return testigos


def activar_api(cliente: FlaskClient, testigo: str, elector: Elector, secreto: str, **cambios: str):  # type: ignore[no-untyped-def]
    datos = {
        "testigo": testigo,
        "ultimos_digitos_telefono": elector.telefono[-4:],
        "contrasena": CONTRASENA_ELECTOR,
        "totp_secreto": secreto,
        "codigo": codigo_en(secreto, -1),
        **cambios,
    }
    return cliente.post("/api/v1/elector/activar", json=datos)


def elector_activo(cliente: FlaskClient, app: Flask, correo: Buzon, n: int = 2) -> tuple[Corte, str]:
    corte = crear_corte(app, n)
    testigos = crear_cuentas(cliente, app, corte, correo)
    secreto = secreto_totp_nuevo()
    e = corte.electores[0]
    r = activar_api(cliente, testigos[e.correo], e, secreto)
    assert r.status_code == 200, r.get_json()
    return corte, secreto


def _error(r) -> str:  # type: ignore[no-untyped-def]
    return str(r.get_json()["error"]["codigo"])


# ---------------------------------------------------------------- alta de cuentas


def test_admin_creates_one_account_per_elector_and_emails_a_single_use_link(
    cliente: FlaskClient, app: Flask, correo: Buzon
) -> None:
    corte = crear_corte(app, 3)
    testigos = crear_cuentas(cliente, app, corte, correo)
    assert set(testigos) == {e.correo for e in corte.electores}
    for e in corte.electores:
        assert len(correo.para(e.correo)) == 1
    assert contar(app, CuentaElector, CuentaElector.corte_id == corte.id, CuentaElector.estado == "pendiente") == 3
    assert contar(app, EnlaceActivacion, EnlaceActivacion.sujeto_tipo == "elector") == 3
    assert contar(app, EntradaBitacora, EntradaBitacora.accion == "crear_cuentas_electores") == 1
    # Repetir la alta no duplica nada: todos ya tienen cuenta.
    admin = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    r = cliente.post("/api/v1/elector/cuentas", headers=admin, json={"corte": corte.id})
    assert r.status_code == 201 and r.get_json() == {"corte": corte.id, "creadas": 0, "ya_existentes": 3}


def test_creation_from_the_panel_page_and_only_by_the_administrator(
    cliente: FlaskClient, app: Flask, correo: Buzon
) -> None:
    from herramientas import entrar_paginas

    corte = crear_corte(app, 2)
    representante = app.test_client()
    entrar_paginas(representante, crear_personal(app, Rol.REPRESENTANTE))
    r = enviar_formulario(representante, "/personal/cuentas", {"corte": str(corte.id)})
    assert r.status_code == 403 and "rol_no_permitido" in r.get_data(as_text=True)
    assert contar(app, CuentaElector) == 0
    entrar_paginas(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    r = enviar_formulario(cliente, "/personal/cuentas", {"corte": str(corte.id)}, follow_redirects=True)
    assert r.status_code == 200, r.get_data(as_text=True)
    html = r.get_data(as_text=True)
    assert "2 cuenta(s) creada(s)" in html and f"Corte n.º {corte.id}" in html
    assert contar(app, CuentaElector) == 2


@pytest.mark.parametrize("campo", ["correo", "telefono"])
def test_email_or_phone_already_used_by_another_account_is_reported_precisely(
    cliente: FlaskClient, app: Flask, correo: Buzon, campo: str
) -> None:
    primero = crear_corte(app, 2)
    crear_cuentas(cliente, app, primero, correo)
    ocupado = primero.electores[1]
    nuevo = Elector(
        folio="F-NUEVO-1",
        clave="NUEVOX90010101M001",
        correo="otra.persona@correo.example",
        telefono="+5215550001234",
        entidad="09",
        pais="CA",
    )
    if campo == "correo":
        nuevo = Elector(**{**nuevo.__dict__, "correo": ocupado.correo})
    else:
        nuevo = Elector(**{**nuevo.__dict__, "telefono": ocupado.telefono})
    libre = Elector(
        folio="F-LIBRE-2",
        clave="LIBREX90010101H002",
        correo="libre@correo.example",
        telefono="+5215550009999",
        entidad="10",
        pais="CA",
    )
    segundo = crear_corte(app, 0, electores=[nuevo, libre])
    admin = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    r = cliente.post("/api/v1/elector/cuentas", headers=admin, json={"corte": segundo.id})
    assert r.status_code == 409
    error = r.get_json()["error"]
    assert error["codigo"] == ("correo_en_uso" if campo == "correo" else "telefono_en_uso")
    assert error["detalles"]["conflictos"] == [{"folio": "F-NUEVO-1", "campo": campo}]
    assert contar(app, CuentaElector, CuentaElector.corte_id == segundo.id) == 0  # todo o nada


def test_same_elector_with_a_changed_email_in_a_later_cut_is_a_conflict(
    cliente: FlaskClient, app: Flask, correo: Buzon
) -> None:
    primero = crear_corte(app, 1)
    crear_cuentas(cliente, app, primero, correo)
    e = primero.electores[0]
    cambiado = Elector(**{**e.__dict__, "correo": "nuevo.correo@correo.example"})
    segundo = crear_corte(app, 0, electores=[cambiado])
    admin = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    r = cliente.post("/api/v1/elector/cuentas", headers=admin, json={"corte": segundo.id})
    assert r.status_code == 409 and _error(r) == "correo_en_uso"


def test_accounts_only_for_existing_electronic_cuts(cliente: FlaskClient, app: Flask) -> None:
    postal = crear_corte(app, 2, modalidad="postal")
    admin = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    r = cliente.post("/api/v1/elector/cuentas", headers=admin, json={"corte": postal.id})
    assert r.status_code == 400 and _error(r) == "corte_no_electronico"
    r = cliente.post("/api/v1/elector/cuentas", headers=admin, json={"corte": 9999})
    assert r.status_code == 404 and _error(r) == "no_encontrado"
    r = cliente.post("/api/v1/elector/cuentas", headers=admin, json={"corte": "1"})
    assert r.status_code == 400 and _error(r) == "tipo_invalido"
    operador = sesion_api(cliente, crear_personal(app, Rol.OPERADOR))
    r = cliente.post("/api/v1/elector/cuentas", headers=operador, json={"corte": postal.id})
    assert r.status_code == 403 and _error(r) == "rol_no_permitido"


def test_resend_link_for_a_pending_account(cliente: FlaskClient, app: Flask, correo: Buzon) -> None:
    corte = crear_corte(app, 1)
    crear_cuentas(cliente, app, corte, correo)
    with transaccion(_fabrica(app)) as bd:
        cuenta_id = bd.scalars(select(CuentaElector.id)).one()
    admin = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    r = cliente.post(f"/api/v1/elector/cuentas/{cuenta_id}/reenviar", headers=admin)
    assert r.status_code == 200, r.get_json()
    despachar(app)
    mensajes = correo.para(corte.electores[0].correo)
    assert len(mensajes) == 2
    nuevo = _ENLACE.search(cuerpo(mensajes[-1]))
    assert nuevo
    secreto = secreto_totp_nuevo()
    assert activar_api(cliente, nuevo.group(1), corte.electores[0], secreto).status_code == 200
    r = cliente.post(f"/api/v1/elector/cuentas/{cuenta_id}/reenviar", headers=admin)
    assert r.status_code == 409 and _error(r) == "cuenta_ya_activa"


# ---------------------------------------------------------------- activación


def test_activation_via_api_then_login_and_my_account(cliente: FlaskClient, app: Flask, correo: Buzon) -> None:
    corte, secreto = elector_activo(cliente, app, correo)
    e = corte.electores[0]
    assert contar(app, CuentaElector, CuentaElector.estado == "activa") == 1
    assert contar(app, EntradaBitacora, EntradaBitacora.accion == "activar_cuenta_elector") == 1
    r = cliente.post(
        "/api/v1/elector/sesion",
        json={"correo": e.correo.upper(), "contrasena": CONTRASENA_ELECTOR, "codigo": codigo_en(secreto, 0)},
    )
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["expira_en_s"] == 30 * 60
    h = cabecera(r.get_json()["testigo"])
    datos = cliente.get("/api/v1/elector/cuenta", headers=h).get_json()
    assert datos["entidad"] == e.entidad and datos["pais"] == e.pais and datos["estado"] == "activa"
    assert not any("credencial" in k for k in datos)
    # Un elector no es personal: no lee nada del personal.
    r = cliente.get("/api/v1/credenciales", headers=h)
    assert r.status_code == 403 and _error(r) == "rol_no_permitido"
    assert cliente.delete("/api/v1/elector/sesion", headers=h).status_code == 200
    r = cliente.get("/api/v1/elector/cuenta", headers=h)
    assert r.status_code == 401 and _error(r) == "no_autenticado"


def test_activation_via_pages_then_login_page(cliente: FlaskClient, app: Flask, correo: Buzon) -> None:
    corte = crear_corte(app, 1)
    testigos = crear_cuentas(cliente, app, corte, correo)
    e = corte.electores[0]
    url = f"/elector/activar/{testigos[e.correo]}"
    pagina = cliente.get(url)
    assert pagina.status_code == 200
    html = pagina.get_data(as_text=True)
    assert "data:image/svg+xml;base64," in html and "style=" not in html and "<script" not in html
    secreto = re.search(r'id="secreto-totp">([A-Z2-7]{32})<', html)
    assert secreto
    r = enviar_formulario(
        cliente,
        url,
        {
            "ultimos_digitos_telefono": e.telefono[-4:],
            "contrasena": CONTRASENA_ELECTOR,
            "codigo": codigo_en(secreto.group(1), -1),
        },
    )
    assert r.status_code == 302 and r.headers["Location"].endswith("/elector/acceso")
    r = enviar_formulario(
        cliente,
        "/elector/acceso",
        {"correo": e.correo, "contrasena": CONTRASENA_ELECTOR, "codigo": codigo_en(secreto.group(1), 0)},
    )
    assert r.status_code == 302 and r.headers["Location"].endswith("/elector/")
    html = cliente.get("/elector/").get_data(as_text=True)
    for pagina_html in (html, cliente.get("/elector/acceso").get_data(as_text=True)):
        assert "style=" not in pagina_html and "<script" not in pagina_html  # CSP estricta
    assert "Estados Unidos de América (US)" in html and "activa" in html and "credencial" not in html.lower()
    # El enlace ya no sirve.
    r = cliente.get(url)
    assert r.status_code == 410 and "enlace_usado" in r.get_data(as_text=True)


def test_replayed_link_is_gone(cliente: FlaskClient, app: Flask, correo: Buzon) -> None:
    corte = crear_corte(app, 1)
    testigos = crear_cuentas(cliente, app, corte, correo)
    e = corte.electores[0]
    assert activar_api(cliente, testigos[e.correo], e, secreto_totp_nuevo()).status_code == 200
    r = activar_api(cliente, testigos[e.correo], e, secreto_totp_nuevo())
    assert r.status_code == 410 and _error(r) == "enlace_usado"


def test_expired_link(cliente: FlaskClient, app: Flask, correo: Buzon) -> None:
    corte = crear_corte(app, 1)
    testigos = crear_cuentas(cliente, app, corte, correo)
    with transaccion(_fabrica(app)) as bd:
        for enlace in bd.scalars(select(EnlaceActivacion)):
            enlace.expira = ahora() - timedelta(seconds=1)
    e = corte.electores[0]
    r = activar_api(cliente, testigos[e.correo], e, secreto_totp_nuevo())
    assert r.status_code == 410 and _error(r) == "enlace_expirado"
    assert cliente.get(f"/elector/activar/{testigos[e.correo]}").status_code == 410
    r = activar_api(cliente, "testigo-inventado", e, secreto_totp_nuevo())
    assert r.status_code == 404 and _error(r) == "enlace_invalido"


def test_wrong_phone_digits_are_rejected_and_rate_limited(cliente: FlaskClient, app: Flask, correo: Buzon) -> None:
    corte = crear_corte(app, 1)
    testigos = crear_cuentas(cliente, app, corte, correo)
    e = corte.electores[0]
    malos = f"{(int(e.telefono[-4:]) + 1) % 10000:04d}"
    for _ in range(app.extensions["vmre"]["configuracion"].max_intentos):
        r = activar_api(cliente, testigos[e.correo], e, secreto_totp_nuevo(), ultimos_digitos_telefono=malos)
        assert r.status_code == 400 and _error(r) == "telefono_no_coincide"
        assert r.get_json()["error"]["detalles"] == {"campo": "ultimos_digitos_telefono"}
    # Ya ni los dígitos correctos pasan durante la ventana.
    r = activar_api(cliente, testigos[e.correo], e, secreto_totp_nuevo())
    assert r.status_code == 429 and _error(r) == "demasiados_intentos"
    assert contar(app, CuentaElector, CuentaElector.estado == "activa") == 0
    assert contar(app, EnlaceActivacion, EnlaceActivacion.usado_en.is_not(None)) == 0


@pytest.mark.parametrize(
    ("cambio", "codigo", "campo"),
    [
        ({"contrasena": "corta"}, "valor_invalido", "contrasena"),
        ({"contrasena": " " * 14}, "valor_invalido", "contrasena"),
        ({"codigo": "000000"}, "segundo_factor_invalido", "codigo"),
        ({"codigo": "12ab56"}, "segundo_factor_invalido", "codigo"),
        ({"totp_secreto": "secreto-corto"}, "valor_invalido", "totp_secreto"),
        ({"ultimos_digitos_telefono": "12a4"}, "telefono_no_coincide", "ultimos_digitos_telefono"),
    ],
)
def test_bad_activation_field_changes_nothing(
    cliente: FlaskClient, app: Flask, correo: Buzon, cambio: dict[str, str], codigo: str, campo: str
) -> None:
    corte = crear_corte(app, 1)
    testigos = crear_cuentas(cliente, app, corte, correo)
    e = corte.electores[0]
    secreto = secreto_totp_nuevo()
    r = activar_api(cliente, testigos[e.correo], e, secreto, **cambio)
    assert r.status_code == 400 and _error(r) == codigo, r.get_json()
    assert r.get_json()["error"]["detalles"]["campo"] == campo
    assert contar(app, CuentaElector, CuentaElector.estado == "pendiente") == 1
    assert contar(app, EnlaceActivacion, EnlaceActivacion.usado_en.is_not(None)) == 0
    # El mismo enlace sigue sirviendo con datos correctos.
    assert activar_api(cliente, testigos[e.correo], e, secreto).status_code == 200


def test_activation_input_is_strict(cliente: FlaskClient, app: Flask, correo: Buzon) -> None:
    corte = crear_corte(app, 1)
    testigos = crear_cuentas(cliente, app, corte, correo)
    e = corte.electores[0]
    r = activar_api(cliente, testigos[e.correo], e, secreto_totp_nuevo(), rol="administrador")
    assert r.status_code == 400 and _error(r) == "campo_desconocido"
    r = cliente.post("/api/v1/elector/activar", json={"testigo": testigos[e.correo]})
    assert r.status_code == 400 and _error(r) == "campo_faltante"
    r = cliente.post("/api/v1/elector/activar", data="{no es json", content_type="application/json")
    assert r.status_code == 400 and _error(r) == "json_malformado"


def test_wrong_phone_digits_on_the_page(cliente: FlaskClient, app: Flask, correo: Buzon) -> None:
    corte = crear_corte(app, 1)
    testigos = crear_cuentas(cliente, app, corte, correo)
    url = f"/elector/activar/{testigos[corte.electores[0].correo]}"
    r = enviar_formulario(
        cliente,
        url,
        {
            "ultimos_digitos_telefono": "0000" if not corte.electores[0].telefono.endswith("0000") else "1111",
            "contrasena": CONTRASENA_ELECTOR,
            "codigo": "123456",
        },
    )
    assert r.status_code == 400 and "telefono_no_coincide" in r.get_data(as_text=True)


# ---------------------------------------------------------------- acceso y sesiones


def test_login_failures_are_uniform_and_rate_limited(cliente: FlaskClient, app: Flask, correo: Buzon) -> None:
    corte, secreto = elector_activo(cliente, app, correo)
    activo, pendiente = corte.electores
    casos = [
        {"correo": activo.correo, "contrasena": "equivocada-larga", "codigo": codigo_en(secreto, 0)},
        {"correo": activo.correo, "contrasena": CONTRASENA_ELECTOR, "codigo": "000000"},
        {"correo": pendiente.correo, "contrasena": CONTRASENA_ELECTOR, "codigo": "000000"},
        {"correo": "nadie@correo.example", "contrasena": CONTRASENA_ELECTOR, "codigo": "000000"},
    ]
    for datos in casos:
        r = cliente.post("/api/v1/elector/sesion", json=datos)
        assert r.status_code == 401 and _error(r) == "credenciales_invalidas"
        assert r.get_json()["error"]["mensaje"] == "Correo, contraseña o código incorrectos."
    for _ in range(5):
        cliente.post("/api/v1/elector/sesion", json=casos[0])
    r = cliente.post(
        "/api/v1/elector/sesion",
        json={"correo": activo.correo, "contrasena": CONTRASENA_ELECTOR, "codigo": codigo_en(secreto, 0)},
    )
    assert r.status_code == 429 and _error(r) == "demasiados_intentos"


def test_totp_code_cannot_be_replayed(cliente: FlaskClient, app: Flask, correo: Buzon) -> None:
    corte, secreto = elector_activo(cliente, app, correo)
    datos = {"correo": corte.electores[0].correo, "contrasena": CONTRASENA_ELECTOR, "codigo": codigo_en(secreto, 0)}
    assert cliente.post("/api/v1/elector/sesion", json=datos).status_code == 201
    r = cliente.post("/api/v1/elector/sesion", json=datos)
    assert r.status_code == 401 and _error(r) == "credenciales_invalidas"


def test_session_expires(cliente: FlaskClient, app: Flask, correo: Buzon) -> None:
    corte, secreto = elector_activo(cliente, app, correo)
    e = corte.electores[0]
    r = enviar_formulario(
        cliente,
        "/elector/acceso",
        {"correo": e.correo, "contrasena": CONTRASENA_ELECTOR, "codigo": codigo_en(secreto, 0)},
    )
    assert r.status_code == 302
    api = cliente.post(
        "/api/v1/elector/sesion",
        json={"correo": e.correo, "contrasena": CONTRASENA_ELECTOR, "codigo": codigo_en(secreto, 1)},
    )
    assert api.status_code == 201
    h = cabecera(api.get_json()["testigo"])
    with transaccion(_fabrica(app)) as bd:
        for s in bd.scalars(select(Sesion).where(Sesion.sujeto_tipo == "elector")):
            s.expira = ahora() - timedelta(seconds=1)
    r = cliente.get("/api/v1/elector/cuenta", headers=h)
    assert r.status_code == 401 and _error(r) == "sesion_expirada"
    r = cliente.get("/elector/")
    assert r.status_code == 302 and "/elector/acceso?expirada=1" in r.headers["Location"]
    assert "Su sesión expiró" in cliente.get(r.headers["Location"]).get_data(as_text=True)


def test_staff_session_is_not_an_elector_session(cliente: FlaskClient, app: Flask) -> None:
    admin = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    r = cliente.get("/api/v1/elector/cuenta", headers=admin)
    assert r.status_code == 403 and _error(r) == "rol_no_permitido"
    r = cliente.get("/api/v1/elector/cuenta")
    assert r.status_code == 401 and _error(r) == "no_autenticado"


# ---------------------------------------------------------------- argon2id fuera del candado (18.6)


def test_argon2_runs_before_the_request_write_transaction_opens(
    cliente: FlaskClient, app: Flask, correo: Buzon, monkeypatch: pytest.MonkeyPatch
) -> None:
    """En SQLite la transacción de la petición toma el candado de escritura (BEGIN IMMEDIATE):
    argon2id (~0,1 s) no debe correr con él tomado, o todo el servidor se serializa detrás."""
    import flask

    import servidor_referencia.web.cuentas as web_cuentas
    from servidor_referencia.dominio import secretos

    corte = crear_corte(app, 1)
    testigos = crear_cuentas(cliente, app, corte, correo)
    abierta_durante: list[tuple[str, bool]] = []

    def espiar(modulo: object, nombre: str) -> None:
        original = getattr(modulo, nombre)

        def espia(*args: object) -> object:
            abierta_durante.append((nombre, "bd" in flask.g))
            return original(*args)

        monkeypatch.setattr(modulo, nombre, espia)

    espiar(secretos, "verificar_contrasena")  # la usa ContrasenaVerificada.de
    espiar(web_cuentas, "hash_contrasena")

    e = corte.electores[0]
    secreto = secreto_totp_nuevo()
    r = activar_api(cliente, testigos[e.correo], e, secreto)
    assert r.status_code == 200, r.get_json()
    r = cliente.post(
        "/api/v1/elector/sesion",
        json={"correo": e.correo, "contrasena": CONTRASENA_ELECTOR, "codigo": codigo_en(secreto, 1)},
    )
    assert r.status_code == 201, r.get_json()
    assert {n for n, _ in abierta_durante} == {"verificar_contrasena", "hash_contrasena"}
    assert not any(abierta for _, abierta in abierta_durante), abierta_durante
