"""Cuentas del personal por HTTP: alta con correo de activación real, activación (página y API),
acceso con contraseña + TOTP, límite de intentos, vencimiento y cierre de sesión, y roles."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from flask import Flask
from flask.testing import FlaskClient
from herramientas import (
    CONTRASENA,
    cabecera,
    crear_personal,
    csrf_de,
    cuerpo,
    despachar,
    entrar_paginas,
    enviar_formulario,
    sesion_api,
)
from sqlalchemy import func, select

from servidor_referencia.bd.base import ahora, transaccion
from servidor_referencia.bd.personal import EnlaceActivacion, EntradaBitacora, IntentoAcceso, Sesion, Usuario
from servidor_referencia.dominio.roles import Rol
from servidor_referencia.dominio.secretos import codigo_totp, secreto_totp_nuevo

if TYPE_CHECKING:
    from conftest import Buzon

_ENLACE = re.compile(r"http://localhost/personal/activar/([A-Za-z0-9_-]+)")
NUEVA = "otra-contraseña-muy-larga"


def _fabrica(app: Flask):  # type: ignore[no-untyped-def]
    return app.extensions["vmre"]["fabrica"]


def _contar(app: Flask, modelo: type, *condiciones: object) -> int:
    with transaccion(_fabrica(app)) as bd:
        return int(bd.scalar(select(func.count()).select_from(modelo).where(*condiciones)) or 0)


def _codigo_activacion(secreto: str) -> str:
    """Código del intervalo actual: aunque el intervalo cambie antes de verificarse, se acepta (deriva −1)."""
    return codigo_totp(secreto)


def _codigo_siguiente(secreto: str) -> str:
    """Código del intervalo siguiente (deriva +1): el primer acceso tras activar no repite intervalo."""
    return codigo_totp(secreto, time.time() + 30)


def _alta_api(cliente: FlaskClient, admin: dict[str, str], usuario: str, rol: str = "operador") -> dict:  # type: ignore[type-arg]
    r = cliente.post(
        "/api/v1/personal/usuarios",
        headers=admin,
        json={"usuario": usuario, "nombre": f"Persona {usuario}", "correo": f"{usuario}@ine.example", "rol": rol},
    )
    assert r.status_code == 201, r.get_json()
    return r.get_json()  # type: ignore[no-any-return]


def _testigo_del_correo(app: Flask, correo: Buzon, direccion: str) -> str:
    despachar(app)
    mensajes = correo.para(direccion)
    assert len(mensajes) == 1
    m = _ENLACE.search(cuerpo(mensajes[0]))
    assert m, cuerpo(mensajes[0])
    return m.group(1)


# ---------------------------------------------------------------- alta y activación


def test_alta_por_api_envia_correo_y_se_activa_en_la_pagina(app: Flask, cliente: FlaskClient, correo: Buzon) -> None:
    admin = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    datos = _alta_api(cliente, admin, "dictaminadora.uno")
    assert datos["activo"] is False and datos["rol"] == "operador"

    despachar(app)
    [mensaje] = correo.para("dictaminadora.uno@ine.example")
    assert mensaje["Subject"] == "Active su cuenta del sistema VMRE"
    assert "SRVE-INE" in str(mensaje["From"])
    texto = cuerpo(mensaje)
    assert "Operador dictaminador" in texto and "«dictaminadora.uno»" in texto
    testigo = _ENLACE.search(texto).group(1)  # type: ignore[union-attr]

    pagina = cliente.get(f"/personal/activar/{testigo}")
    assert pagina.status_code == 200
    html = pagina.get_data(as_text=True)
    assert 'src="data:image/svg+xml;base64,' in html  # QR sin recursos externos
    secreto = re.search(r'id="secreto-totp">([A-Z2-7]{32})<', html).group(1)  # type: ignore[union-attr]

    # Sin testigo CSRF: rechazado y el enlace sigue sin usarse.
    r = cliente.post(f"/personal/activar/{testigo}", data={"contrasena": NUEVA, "codigo": _codigo_activacion(secreto)})
    assert r.status_code == 400 and b"csrf_invalido" in r.data
    # Código TOTP equivocado: 400 segundo_factor_invalido y el enlace sigue sin usarse.
    malo = f"{(int(_codigo_activacion(secreto)) + 1) % 10**6:06d}"
    r = cliente.post(f"/personal/activar/{testigo}", data={"contrasena": NUEVA, "codigo": malo, "_csrf": csrf_de(html)})
    assert r.status_code == 400 and b"segundo_factor_invalido" in r.data
    # Contraseña corta: 400 valor_invalido.
    r = cliente.post(
        f"/personal/activar/{testigo}",
        data={"contrasena": "corta", "codigo": _codigo_activacion(secreto), "_csrf": csrf_de(html)},
    )
    assert r.status_code == 400 and b"valor_invalido" in r.data
    assert _contar(app, EnlaceActivacion, EnlaceActivacion.usado_en.is_not(None)) == 0

    # El mismo secreto se conserva entre GET y POST (vive en la sesión de la página).
    r = cliente.post(
        f"/personal/activar/{testigo}",
        data={"contrasena": NUEVA, "codigo": _codigo_activacion(secreto), "_csrf": csrf_de(html)},
    )
    assert r.status_code == 302 and r.headers["Location"].endswith("/personal/acceso")

    # El enlace ya no sirve: ni en la página ni en la API (410 enlace_usado).
    r = cliente.get(f"/personal/activar/{testigo}")
    assert r.status_code == 410 and b"enlace_usado" in r.data
    assert secreto.encode() not in r.data
    r = cliente.post(
        "/api/v1/personal/activar",
        json={"testigo": testigo, "contrasena": NUEVA, "totp_secreto": secreto_totp_nuevo(), "codigo": "000000"},
    )
    assert r.status_code == 410 and r.get_json()["error"]["codigo"] == "enlace_usado"

    # Ya puede entrar con su contraseña y el código del intervalo actual.
    r = cliente.post(
        "/api/v1/sesion",
        json={"usuario": "dictaminadora.uno", "contrasena": NUEVA, "codigo": _codigo_siguiente(secreto)},
    )
    assert r.status_code == 201 and r.get_json()["rol"] == "operador"
    acciones = _acciones(app)
    assert acciones.count("crear_usuario") == 2 and "activar_cuenta" in acciones


def _acciones(app: Flask) -> list[str]:
    with transaccion(_fabrica(app)) as bd:
        return list(bd.scalars(select(EntradaBitacora.accion).order_by(EntradaBitacora.id)))


def test_alta_por_pagina_y_activacion_por_api(app: Flask, cliente: FlaskClient, correo: Buzon) -> None:
    admin = crear_personal(app, Rol.ADMINISTRADOR)
    entrar_paginas(cliente, admin)
    r = enviar_formulario(
        cliente,
        "/personal/usuarios",
        {"usuario": "custodia.dos", "nombre": "Custodia Dos", "correo": "Custodia.Dos@INE.example", "rol": "custodio"},
    )
    assert r.status_code == 302
    assert "custodia.dos" in cliente.get("/personal/usuarios").get_data(as_text=True)
    testigo = _testigo_del_correo(app, correo, "custodia.dos@ine.example")

    cliente_api = app.test_client()
    secreto = secreto_totp_nuevo()
    base = {"testigo": testigo, "contrasena": NUEVA, "totp_secreto": secreto, "codigo": _codigo_activacion(secreto)}
    r = cliente_api.post("/api/v1/personal/activar", json={**base, "totp_secreto": "no-es-base32"})
    assert r.status_code == 400 and r.get_json()["error"]["detalles"] == {"campo": "totp_secreto"}
    r = cliente_api.post("/api/v1/personal/activar", json=base)
    assert r.status_code == 200 and r.get_json() == {"usuario": "custodia.dos", "activo": True}
    assert secreto not in r.get_data(as_text=True)
    r = cliente_api.post("/api/v1/personal/activar", json=base)
    assert r.status_code == 410 and r.get_json()["error"]["codigo"] == "enlace_usado"
    r = cliente_api.post("/api/v1/personal/activar", json={**base, "testigo": "x" * 43})
    assert r.status_code == 404 and r.get_json()["error"]["codigo"] == "enlace_invalido"

    # El código ya usado en la activación no vuelve a servir para entrar (repetición de TOTP).
    r = cliente_api.post(
        "/api/v1/sesion", json={"usuario": "custodia.dos", "contrasena": NUEVA, "codigo": base["codigo"]}
    )
    assert r.status_code == 401 and r.get_json()["error"]["codigo"] == "credenciales_invalidas"
    r = cliente_api.post(
        "/api/v1/sesion", json={"usuario": "custodia.dos", "contrasena": NUEVA, "codigo": _codigo_siguiente(secreto)}
    )
    assert r.status_code == 201


def test_enlace_expirado(app: Flask, cliente: FlaskClient, correo: Buzon) -> None:
    admin = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    _alta_api(cliente, admin, "tardia")
    testigo = _testigo_del_correo(app, correo, "tardia@ine.example")
    with transaccion(_fabrica(app)) as bd:
        for enlace in bd.scalars(select(EnlaceActivacion)):
            enlace.expira = ahora() - timedelta(seconds=1)
    r = cliente.get(f"/personal/activar/{testigo}")
    assert r.status_code == 410 and b"enlace_expirado" in r.data
    secreto = secreto_totp_nuevo()
    r = cliente.post(
        "/api/v1/personal/activar",
        json={"testigo": testigo, "contrasena": NUEVA, "totp_secreto": secreto, "codigo": _codigo_activacion(secreto)},
    )
    assert r.status_code == 410 and r.get_json()["error"]["codigo"] == "enlace_expirado"
    assert _contar(app, Usuario, Usuario.activo.is_(True)) == 1  # solo la administradora


def test_alta_invalida_no_escribe_nada(app: Flask, cliente: FlaskClient, correo: Buzon) -> None:
    admin = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    antes = (_contar(app, Usuario), len(_acciones(app)))
    casos = [
        ({"usuario": "X!", "nombre": "N", "correo": "a@b.mx", "rol": "operador"}, 400, "valor_invalido", "usuario"),
        (
            {"usuario": "bueno", "nombre": "N", "correo": "sin-arroba", "rol": "operador"},
            400,
            "valor_invalido",
            "correo",
        ),
        ({"usuario": "bueno", "nombre": "N", "correo": "a@b.mx", "rol": "rey"}, 400, "valor_invalido", "rol"),
    ]
    for datos, estado, codigo, campo in casos:
        r = cliente.post("/api/v1/personal/usuarios", headers=admin, json=datos)
        assert r.status_code == estado and r.get_json()["error"]["codigo"] == codigo
        assert r.get_json()["error"]["detalles"] == {"campo": campo}
    _alta_api(cliente, admin, "unica")
    r = cliente.post(
        "/api/v1/personal/usuarios",
        headers=admin,
        json={"usuario": "otra", "nombre": "N", "correo": "UNICA@ine.example", "rol": "auditor"},
    )
    assert r.status_code == 409 and r.get_json()["error"]["codigo"] == "conflicto"
    assert (_contar(app, Usuario), len(_acciones(app))) == (antes[0] + 1, antes[1] + 1)


# ---------------------------------------------------------------- acceso


def test_acceso_api_y_paginas(app: Flask, cliente: FlaskClient) -> None:
    p = crear_personal(app, Rol.AUDITOR)
    r = cliente.post(
        "/api/v1/sesion", json={"usuario": p.usuario.upper(), "contrasena": p.contrasena, "codigo": p.codigo()}
    )
    assert r.status_code == 201
    datos = r.get_json()
    assert set(datos) == {"testigo", "rol", "usuario", "expira_en_s"}
    assert datos["expira_en_s"] == 30 * 60 and datos["rol"] == "auditor"
    assert cliente.get("/api/v1/bitacora", headers=cabecera(datos["testigo"])).status_code == 200
    assert cliente.get("/api/v1/bitacora", headers={"Authorization": f"bearer {datos['testigo']}"}).status_code == 200
    for mala in (f"Basic {datos['testigo']}", datos["testigo"], "Bearer ", "Bearer"):
        r = cliente.get("/api/v1/bitacora", headers={"Authorization": mala})
        assert r.status_code == 401 and r.get_json()["error"]["codigo"] == "no_autenticado"

    paginas = app.test_client()
    assert paginas.get("/personal/acceso").status_code == 200
    entrar_paginas(paginas, p)
    r = paginas.get("/personal/")
    assert r.status_code == 200 and p.usuario in r.get_data(as_text=True)
    # La cookie de sesión es HttpOnly y SameSite=Lax.
    galleta = next(c for c in paginas._cookies.values() if c.key == "vmre_sesion")  # type: ignore[attr-defined]
    assert galleta.http_only and galleta.same_site == "Lax"


@pytest.mark.parametrize("fallo", ["contrasena", "codigo", "usuario"])
def test_credenciales_invalidas_mismo_mensaje(app: Flask, cliente: FlaskClient, fallo: str) -> None:
    p = crear_personal(app, Rol.OPERADOR)
    datos = {"usuario": p.usuario, "contrasena": p.contrasena, "codigo": p.codigo()}
    datos[fallo] = {"contrasena": "contraseña-equivocada", "codigo": "000000", "usuario": "nadie"}[fallo]
    if fallo == "codigo" and datos["codigo"] == codigo_totp(p.secreto):
        datos["codigo"] = "111111"
    r = cliente.post("/api/v1/sesion", json=datos)
    assert r.status_code == 401
    assert r.get_json()["error"] == {
        "codigo": "credenciales_invalidas",
        "detalles": {},
        "mensaje": "Usuario, contraseña o código incorrectos.",
    }
    # En la página: mismo código, 401, y el formulario vuelve a mostrarse.
    r = enviar_formulario(app.test_client(), "/personal/acceso", datos)
    assert r.status_code == 401 and "Usuario, contraseña o código incorrectos." in r.get_data(as_text=True)


def test_cuenta_sin_activar_no_entra(app: Flask, cliente: FlaskClient) -> None:
    admin = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    _alta_api(cliente, admin, "pendiente")
    r = cliente.post("/api/v1/sesion", json={"usuario": "pendiente", "contrasena": CONTRASENA, "codigo": "123456"})
    assert r.status_code == 401 and r.get_json()["error"]["codigo"] == "credenciales_invalidas"


def test_codigo_totp_no_se_repite(app: Flask, cliente: FlaskClient) -> None:
    p = crear_personal(app, Rol.CUSTODIO)
    codigo = p.codigo()
    datos = {"usuario": p.usuario, "contrasena": p.contrasena, "codigo": codigo}
    assert cliente.post("/api/v1/sesion", json=datos).status_code == 201
    r = cliente.post("/api/v1/sesion", json=datos)
    assert r.status_code == 401 and r.get_json()["error"]["codigo"] == "credenciales_invalidas"
    # Un código de un intervalo anterior al último usado tampoco.
    r = cliente.post("/api/v1/sesion", json={**datos, "codigo": codigo_totp(p.secreto, time.time() - 30)})
    assert r.status_code == 401


def test_limite_de_intentos(app: Flask, cliente: FlaskClient) -> None:
    p = crear_personal(app, Rol.ADMINISTRADOR)
    malo = {"usuario": p.usuario, "contrasena": "contraseña-equivocada", "codigo": "123456"}
    for _ in range(5):
        r = cliente.post("/api/v1/sesion", json=malo)
        assert r.status_code == 401 and r.get_json()["error"]["codigo"] == "credenciales_invalidas"
    # Las fallas sobreviven a la reversión de cada petición.
    assert _contar(app, IntentoAcceso, IntentoAcceso.clave == f"acceso-personal:{p.usuario}") == 5
    assert _contar(app, Sesion) == 0
    r = cliente.post("/api/v1/sesion", json={"usuario": p.usuario, "contrasena": p.contrasena, "codigo": p.codigo()})
    assert r.status_code == 429
    assert r.get_json()["error"]["codigo"] == "demasiados_intentos"
    assert "Demasiados intentos" in r.get_json()["error"]["mensaje"]
    assert _contar(app, Sesion) == 0
    # La página también responde 429 (la misma IP ya agotó sus intentos).
    r = enviar_formulario(
        app.test_client(), "/personal/acceso", {"usuario": "otra-persona", "contrasena": "x" * 12, "codigo": "123456"}
    )
    assert r.status_code == 429 and "demasiados_intentos" in r.get_data(as_text=True)


def test_limite_por_usuario_en_la_pagina(app: Flask) -> None:
    p = crear_personal(app, Rol.OPERADOR)
    navegador = app.test_client()
    for _ in range(5):
        r = enviar_formulario(
            navegador,
            "/personal/acceso",
            {"usuario": p.usuario, "contrasena": "contraseña-equivocada", "codigo": "123456"},
        )
        assert r.status_code == 401
    r = enviar_formulario(
        navegador, "/personal/acceso", {"usuario": p.usuario, "contrasena": p.contrasena, "codigo": p.codigo()}
    )
    assert r.status_code == 429


# ---------------------------------------------------------------- vencimiento y cierre


def _vencer_sesiones(app: Flask) -> None:
    with transaccion(_fabrica(app)) as bd:
        for s in bd.scalars(select(Sesion)):
            s.expira = ahora() - timedelta(seconds=1)


def test_sesion_expirada_api(app: Flask, cliente: FlaskClient) -> None:
    h = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    assert cliente.get("/api/v1/bitacora", headers=h).status_code == 200
    _vencer_sesiones(app)
    r = cliente.get("/api/v1/bitacora", headers=h)
    assert r.status_code == 401 and r.get_json()["error"]["codigo"] == "sesion_expirada"
    r = cliente.post(
        "/api/v1/personal/usuarios",
        headers=h,
        json={"usuario": "nueva", "nombre": "N", "correo": "n@ine.example", "rol": "auditor"},
    )
    assert r.status_code == 401 and r.get_json()["error"]["codigo"] == "sesion_expirada"
    assert _contar(app, Usuario) == 1


def test_sesion_expirada_por_configuracion(app: Flask) -> None:
    """Con una duración de 3 s, la sesión deja de valer sola."""
    vmre = app.extensions["vmre"]
    vmre["configuracion"] = vmre["configuracion"].con(duracion_sesion_s=3)
    cliente = app.test_client()
    h = sesion_api(cliente, crear_personal(app, Rol.AUDITOR))
    assert cliente.get("/api/v1/bitacora", headers=h).status_code == 200
    time.sleep(3.2)
    r = cliente.get("/api/v1/bitacora", headers=h)
    assert r.status_code == 401 and r.get_json()["error"]["codigo"] == "sesion_expirada"


def test_sesion_expirada_paginas(app: Flask, cliente: FlaskClient) -> None:
    entrar_paginas(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    assert cliente.get("/personal/usuarios").status_code == 200
    _vencer_sesiones(app)
    r = cliente.get("/personal/usuarios")
    assert r.status_code == 302
    assert r.headers["Location"] == "/personal/acceso?siguiente=/personal/usuarios&expirada=1"
    r = cliente.get(r.headers["Location"])
    assert r.status_code == 200 and "Su sesión expiró" in r.get_data(as_text=True)
    # Sin sesión alguna: también al acceso, sin el aviso.
    r = app.test_client().get("/personal/")
    assert r.status_code == 302 and r.headers["Location"].endswith("expirada=0")


def test_cerrar_sesion_api(app: Flask, cliente: FlaskClient) -> None:
    h = sesion_api(cliente, crear_personal(app, Rol.REPRESENTANTE))
    r = cliente.delete("/api/v1/sesion", headers=h)
    assert r.status_code == 200 and r.get_json() == {"cerrada": True}
    assert _acciones(app)[-1] == "cerrar_sesion"
    r = cliente.delete("/api/v1/sesion", headers=h)
    assert r.status_code == 401 and r.get_json()["error"]["codigo"] == "no_autenticado"
    r = cliente.get("/api/v1/bitacora", headers={"Authorization": "Bearer testigo-inventado"})
    assert r.status_code == 401 and r.get_json()["error"]["codigo"] == "no_autenticado"
    r = cliente.get("/api/v1/bitacora")
    assert r.status_code == 401 and r.get_json()["error"]["codigo"] == "no_autenticado"


def test_cerrar_sesion_paginas(app: Flask, cliente: FlaskClient) -> None:
    entrar_paginas(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    galleta_vieja = next(c for c in cliente._cookies.values() if c.key == "vmre_sesion").value  # type: ignore[attr-defined]
    r = enviar_formulario(cliente, "/personal/salir", {}, url_get="/personal/")
    assert r.status_code == 302
    assert _acciones(app)[-2:] == ["iniciar_sesion", "cerrar_sesion"]
    # Salir otra vez (sin sesión) no anota nada.
    enviar_formulario(cliente, "/personal/salir", {}, url_get="/personal/acceso")
    assert _acciones(app)[-1] == "cerrar_sesion" and _acciones(app).count("cerrar_sesion") == 1
    assert cliente.get("/personal/").status_code == 302
    # Reponer la cookie anterior no revive la sesión: el testigo quedó cerrado en la base.
    otro = app.test_client()
    otro.set_cookie("vmre_sesion", galleta_vieja)
    r = otro.get("/personal/usuarios")
    assert r.status_code == 302 and "expirada=0" in r.headers["Location"]


# ---------------------------------------------------------------- roles


@pytest.mark.parametrize(
    "rol", [Rol.AUDITOR, Rol.REPRESENTANTE, Rol.OPERADOR, Rol.OPERADOR_INETEL, Rol.CUSTODIO, Rol.AUTORIDAD_CREDENCIALES]
)
def test_solo_la_administracion_crea_cuentas(app: Flask, cliente: FlaskClient, rol: Rol) -> None:
    p = crear_personal(app, rol)
    h = sesion_api(cliente, p)
    r = cliente.post(
        "/api/v1/personal/usuarios",
        headers=h,
        json={"usuario": "intrusa", "nombre": "N", "correo": "i@ine.example", "rol": "administrador"},
    )
    assert r.status_code == 403
    assert r.get_json()["error"] == {
        "codigo": "rol_no_permitido",
        "detalles": {},
        "mensaje": "Su rol no permite esta operación.",
    }
    assert _contar(app, Usuario) == 1
    paginas = app.test_client()
    entrar_paginas(paginas, p)
    assert paginas.get("/personal/usuarios").status_code == 403
    r = enviar_formulario(
        paginas,
        "/personal/usuarios",
        {"usuario": "intrusa", "nombre": "N", "correo": "i@ine.example", "rol": "administrador"},
        url_get="/personal/",
    )
    assert r.status_code == 403 and "rol_no_permitido" in r.get_data(as_text=True)
    assert _contar(app, Usuario) == 1
    # Solo administración y auditoría leen la bitácora.
    esperado = 200 if rol is Rol.AUDITOR else 403
    assert cliente.get("/api/v1/bitacora", headers=h).status_code == esperado
    assert paginas.get("/personal/bitacora").status_code == esperado
