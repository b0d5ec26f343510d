"""Seguridad transversal por HTTP: CSRF, entrada estricta, cabeceras, bitácora de solo-anexar,
nada a medio escribir y ningún secreto en respuestas ni registros."""

from __future__ import annotations

import logging
import re
import time
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from herramientas import (
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

from servidor_referencia.bd.base import transaccion
from servidor_referencia.bd.correo import MensajeSaliente
from servidor_referencia.bd.personal import EnlaceActivacion, EntradaBitacora, Usuario
from servidor_referencia.dominio import bitacora
from servidor_referencia.dominio.roles import Rol
from servidor_referencia.dominio.secretos import codigo_totp, secreto_totp_nuevo

ALTA = {"usuario": "nueva.persona", "nombre": "Nueva Persona", "correo": "nueva@ine.example", "rol": "auditor"}


def _fabrica(app: Flask):  # type: ignore[no-untyped-def]
    return app.extensions["vmre"]["fabrica"]


def _motor(app: Flask) -> sa.Engine:
    return app.extensions["vmre"]["motor"]  # type: ignore[no-any-return]


def _contar(app: Flask, modelo: type) -> int:
    with transaccion(_fabrica(app)) as bd:
        return int(bd.scalar(select(func.count()).select_from(modelo)) or 0)


def _filas(app: Flask) -> tuple[int, int, int, int]:
    return (
        _contar(app, Usuario),
        _contar(app, EntradaBitacora),
        _contar(app, MensajeSaliente),
        _contar(app, EnlaceActivacion),
    )


def _error(r: Any) -> str:
    return r.get_json()["error"]["codigo"]  # type: ignore[no-any-return]


# ---------------------------------------------------------------- CSRF


@pytest.mark.parametrize("testigo", [None, "", "testigo-inventado"])
def test_csrf_faltante_o_equivocado(app: Flask, cliente: FlaskClient, testigo: str | None) -> None:
    p = crear_personal(app, Rol.ADMINISTRADOR)
    cliente.get("/personal/acceso")  # la sesión de la página ya tiene su testigo CSRF
    datos = {"usuario": p.usuario, "contrasena": p.contrasena, "codigo": p.codigo()}
    if testigo is not None:
        datos["_csrf"] = testigo
    r = cliente.post("/personal/acceso", data=datos)
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert "csrf_invalido" in html and "Recargue la página" in html
    assert cliente.get("/personal/").status_code == 302  # no entró


def test_csrf_de_otra_sesion_no_sirve(app: Flask) -> None:
    p = crear_personal(app, Rol.ADMINISTRADOR)
    atacante, victima = app.test_client(), app.test_client()
    testigo_ajeno = csrf_de(atacante.get("/personal/acceso").get_data(as_text=True))
    victima.get("/personal/acceso")
    r = victima.post(
        "/personal/acceso",
        data={"usuario": p.usuario, "contrasena": p.contrasena, "codigo": p.codigo(), "_csrf": testigo_ajeno},
    )
    assert r.status_code == 400 and b"csrf_invalido" in r.data


def test_csrf_en_alta_con_sesion_abierta(app: Flask, cliente: FlaskClient) -> None:
    entrar_paginas(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    antes = _filas(app)
    r = cliente.post("/personal/usuarios", data=ALTA)
    assert r.status_code == 400 and b"csrf_invalido" in r.data
    assert _filas(app) == antes


def test_la_api_no_lee_la_cookie_de_sesion(app: Flask, cliente: FlaskClient) -> None:
    """Con solo la cookie de la página (lo que un sitio ajeno podría hacer enviar), la API no actúa."""
    entrar_paginas(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    r = cliente.post("/api/v1/personal/usuarios", json=ALTA)
    assert r.status_code == 401 and _error(r) == "no_autenticado"


# ---------------------------------------------------------------- entrada estricta


def _crudo(cliente: FlaskClient, h: dict[str, str], cuerpo_bytes: bytes, tipo: str = "application/json") -> Any:
    return cliente.post("/api/v1/personal/usuarios", headers=h, data=cuerpo_bytes, content_type=tipo)


@pytest.mark.parametrize(
    ("cuerpo_bytes", "tipo", "estado", "codigo", "campo"),
    [
        (b'{"usuario": "a"', "application/json", 400, "json_malformado", None),
        (
            b'{"usuario": "a", "usuario": "b", "nombre": "N", "correo": "a@b.mx", "rol": "auditor"}',
            "application/json",
            400,
            "json_malformado",
            "usuario",
        ),
        (b'["usuario", "nombre"]', "application/json", 400, "tipo_invalido", None),
        (b'"texto"', "application/json", 400, "tipo_invalido", None),
        (b"null", "application/json", 400, "tipo_invalido", None),
        (b'{"usuario": NaN}', "application/json", 400, "json_malformado", None),
        (b'{"usuario": "\xff\xfe"}', "application/json", 400, "json_malformado", None),
        (b"", "application/json", 400, "json_malformado", None),
        (b'{"usuario": "a"}', "text/plain", 415, "tipo_de_contenido_invalido", None),
        (b"usuario=a", "application/x-www-form-urlencoded", 415, "tipo_de_contenido_invalido", None),
        (
            b'{"usuario": "nueva", "nombre": "N", "correo": "a@b.mx", "rol": "auditor", "admin": true}',
            "application/json",
            400,
            "campo_desconocido",
            "admin",
        ),
        (b'{"usuario": "nueva", "nombre": "N", "correo": "a@b.mx"}', "application/json", 400, "campo_faltante", "rol"),
        (
            b'{"usuario": "nueva", "nombre": "N", "correo": "a@b.mx", "rol": ""}',
            "application/json",
            400,
            "campo_faltante",
            "rol",
        ),
        (
            b'{"usuario": 7, "nombre": "N", "correo": "a@b.mx", "rol": "auditor"}',
            "application/json",
            400,
            "tipo_invalido",
            "usuario",
        ),
        (
            b'{"usuario": "nueva", "nombre": ["N"], "correo": "a@b.mx", "rol": "auditor"}',
            "application/json",
            400,
            "tipo_invalido",
            "nombre",
        ),
        (
            b'{"usuario": "nueva", "nombre": "N", "correo": "a@b.mx", "rol": true}',
            "application/json",
            400,
            "tipo_invalido",
            "rol",
        ),
        (
            b'{"usuario": "' + b"n" * 65 + b'", "nombre": "N", "correo": "a@b.mx", "rol": "auditor"}',
            "application/json",
            400,
            "valor_invalido",
            "usuario",
        ),
    ],
)
def test_entrada_json_mala(
    app: Flask, cliente: FlaskClient, cuerpo_bytes: bytes, tipo: str, estado: int, codigo: str, campo: str | None
) -> None:
    h = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    antes = _filas(app)
    r = _crudo(cliente, h, cuerpo_bytes, tipo)
    assert r.status_code == estado, r.get_data(as_text=True)
    error = r.get_json()["error"]
    assert error["codigo"] == codigo
    assert error["mensaje"] and error["mensaje"][0].isupper()  # mensaje en español para personas
    if campo:
        assert error["detalles"] == {"campo": campo}
    assert _filas(app) == antes


def test_cuerpo_demasiado_grande(app: Flask, cliente: FlaskClient) -> None:
    h = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    grande = b'{"usuario": "' + b"a" * (256 * 1024) + b'"}'
    r = _crudo(cliente, h, grande)
    assert r.status_code == 413 and _error(r) == "cuerpo_demasiado_grande"
    # También en un formulario de página (antes de revisar CSRF).
    r = cliente.post("/personal/acceso", data={"usuario": "a" * (300 * 1024)})
    assert r.status_code == 413 and b"cuerpo_demasiado_grande" in r.data
    # Justo por debajo del límite, el JSON se lee y se rechaza por su contenido.
    r = _crudo(cliente, h, b'{"x": "' + b"a" * 1000 + b'"}')
    assert r.status_code == 400 and _error(r) == "campo_desconocido"


def test_formulario_estricto(app: Flask, cliente: FlaskClient) -> None:
    entrar_paginas(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    antes = _filas(app)
    r = enviar_formulario(cliente, "/personal/usuarios", {**ALTA, "activo": "1"})
    assert r.status_code == 400 and "campo_desconocido" in r.get_data(as_text=True)
    r = enviar_formulario(cliente, "/personal/usuarios", {k: v for k, v in ALTA.items() if k != "correo"})
    assert r.status_code == 400 and "campo_faltante" in r.get_data(as_text=True)
    assert _filas(app) == antes


def test_rutas_y_metodos_desconocidos(cliente: FlaskClient) -> None:
    r = cliente.get("/api/v1/no-existe")
    assert r.status_code == 404 and _error(r) == "no_encontrado"
    r = cliente.put("/api/v1/sesion", json={})
    assert r.status_code == 405 and _error(r) == "metodo_no_permitido"
    r = cliente.get("/no-existe")
    assert r.status_code == 404 and b"no_encontrado" in r.data and b"<html" in r.data.lower()


# ---------------------------------------------------------------- cabeceras


@pytest.mark.parametrize(
    "ruta", ["/", "/personal/acceso", "/api/v1/estado", "/api/v1/no-existe", "/no-existe", "/api/v1/bitacora"]
)
def test_cabeceras_de_seguridad(cliente: FlaskClient, ruta: str) -> None:
    r = cliente.get(ruta)
    csp = r.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert r.headers["X-Frame-Options"] == "DENY"


def test_paginas_sin_script_ni_estilo_en_linea(app: Flask, cliente: FlaskClient) -> None:
    entrar_paginas(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    for ruta in ("/", "/personal/acceso", "/personal/", "/personal/usuarios", "/personal/bitacora"):
        html = cliente.get(ruta).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), ruta
        assert not re.search(r"\sstyle=", html), ruta
        assert not re.search(r"\son[a-z]+=", html), ruta


# ---------------------------------------------------------------- bitácora


def test_bitacora_anota_cada_accion(app: Flask, cliente: FlaskClient, correo: Any) -> None:
    admin = crear_personal(app, Rol.ADMINISTRADOR)
    h = sesion_api(cliente, admin)
    assert cliente.post("/api/v1/personal/usuarios", headers=h, json=ALTA).status_code == 201
    r = cliente.get("/api/v1/bitacora", headers=h)
    datos = r.get_json()
    assert datos["integra"] is True and datos["total"] == len(datos["entradas"]) == 4
    acciones = [(e["actor"], e["rol"], e["accion"]) for e in datos["entradas"]]
    assert acciones == [
        ("prueba", "prueba", "crear_usuario"),
        (f"usuario:{admin.id}", "administrador", "activar_cuenta"),
        (f"usuario:{admin.id}", "administrador", "iniciar_sesion"),
        (f"usuario:{admin.id}", "administrador", "crear_usuario"),
    ]
    assert datos["entradas"][-1]["detalles"] == {"usuario": "nueva.persona", "rol": "auditor"}
    for anterior, entrada in zip(datos["entradas"], datos["entradas"][1:], strict=False):
        assert entrada["hash_anterior"] == anterior["hash"]
    assert datos["entradas"][0]["hash_anterior"] == "0" * 64
    pagina = app.test_client()
    auditor = crear_personal(app, Rol.AUDITOR)
    entrar_paginas(pagina, auditor)
    r = pagina.get("/personal/bitacora")
    html = r.get_data(as_text=True)
    assert r.status_code == 200, html
    assert "Cadena íntegra: 7 entradas verificadas." in html and "crear_usuario" in html


def _tabla_bitacora(app: Flask) -> sa.Table:
    return EntradaBitacora.__table__  # type: ignore[return-value]


@pytest.mark.parametrize("operacion", ["UPDATE", "DELETE"])
def test_la_base_rechaza_reescribir_la_bitacora(app: Flask, operacion: str) -> None:
    crear_personal(app, Rol.ADMINISTRADOR)
    tabla = _tabla_bitacora(app)
    sentencia = sa.update(tabla).values(accion="nada") if operacion == "UPDATE" else sa.delete(tabla)
    with pytest.raises(sa.exc.DBAPIError) as error:
        with _motor(app).begin() as c:
            c.execute(sentencia)
    assert "solo-anexar" in str(error.value)
    # Tampoco por el ORM.
    with pytest.raises(sa.exc.DBAPIError):
        with transaccion(_fabrica(app)) as bd:
            entrada = bd.scalars(select(EntradaBitacora)).first()
            assert entrada is not None
            if operacion == "UPDATE":
                entrada.detalles = {"alterado": True}
            else:
                bd.delete(entrada)
    with transaccion(_fabrica(app)) as bd:
        assert bitacora.verificar_cadena(bd) == 2


def _quitar_disparadores(app: Flask) -> None:
    motor = _motor(app)
    with motor.begin() as c:
        if motor.dialect.name == "sqlite":
            c.execute(sa.text("DROP TRIGGER solo_anexar_bitacora_update"))
            c.execute(sa.text("DROP TRIGGER solo_anexar_bitacora_delete"))
        else:
            c.execute(sa.text("DROP TRIGGER solo_anexar_bitacora ON bitacora"))


@pytest.mark.parametrize("alteracion", ["detalles", "actor", "borrar_en_medio", "hash_recalculado"])
def test_la_cadena_delata_una_entrada_alterada(app: Flask, cliente: FlaskClient, alteracion: str) -> None:
    admin = crear_personal(app, Rol.ADMINISTRADOR)
    h = sesion_api(cliente, admin)
    assert cliente.post("/api/v1/personal/usuarios", headers=h, json=ALTA).status_code == 201
    with transaccion(_fabrica(app)) as bd:
        assert bitacora.verificar_cadena(bd) == 4
    _quitar_disparadores(app)
    tabla = _tabla_bitacora(app)
    with _motor(app).begin() as c:
        if alteracion == "detalles":
            c.execute(sa.update(tabla).where(tabla.c.id == 4).values(detalles={"usuario": "otra", "rol": "auditor"}))
        elif alteracion == "actor":
            c.execute(sa.update(tabla).where(tabla.c.id == 2).values(actor="usuario:999"))
        elif alteracion == "borrar_en_medio":
            c.execute(sa.delete(tabla).where(tabla.c.id == 3))
        else:  # quien altera también rehace el hash de su fila: la siguiente ya no enlaza
            c.execute(sa.update(tabla).where(tabla.c.id == 2).values(hash="f" * 64))
    with transaccion(_fabrica(app)) as bd, pytest.raises(ValueError, match="alterada en la entrada"):
        bitacora.verificar_cadena(bd)
    r = cliente.get("/api/v1/bitacora", headers=h)
    assert r.status_code == 200 and r.get_json()["integra"] is False
    assert "alterada" in r.get_json()["problema"]


# ---------------------------------------------------------------- nada a medio escribir


def test_falla_al_encolar_el_correo_no_deja_la_cuenta(
    app: Flask, cliente: FlaskClient, monkeypatch: Any, caplog: Any
) -> None:
    from servidor_referencia.web import personal as web_personal

    h = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    antes = _filas(app)

    def encolar_roto(*_a: Any, **_k: Any) -> None:
        raise RuntimeError("la bandeja de salida no responde")

    monkeypatch.setattr(web_personal, "encolar", encolar_roto)
    with caplog.at_level(logging.ERROR, logger="vmre"):
        r = cliente.post("/api/v1/personal/usuarios", headers=h, json=ALTA)
    assert r.status_code == 500 and _error(r) == "error_interno"
    assert "no se guardó nada" in r.get_json()["error"]["mensaje"]
    assert "la bandeja de salida no responde" not in r.get_data(as_text=True)  # sin detalles internos
    assert _filas(app) == antes  # ni cuenta, ni bitácora, ni enlace, ni correo


def test_falla_en_la_bitacora_no_deja_la_cuenta(app: Flask, cliente: FlaskClient, monkeypatch: Any) -> None:
    from servidor_referencia.dominio import personal as dominio_personal

    h = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    antes = _filas(app)

    def anotar_roto(*_a: Any, **_k: Any) -> None:
        raise sa.exc.OperationalError("INSERT INTO bitacora", {}, Exception("disco lleno"))

    monkeypatch.setattr(dominio_personal.bitacora, "anotar", anotar_roto)
    r = cliente.post("/api/v1/personal/usuarios", headers=h, json=ALTA)
    assert r.status_code == 500 and _error(r) == "error_interno"
    assert _filas(app) == antes


def test_choque_de_indice_unico_al_escribir(app: Flask, cliente: FlaskClient, monkeypatch: Any) -> None:
    """Dos altas simultáneas con el mismo correo: la que pierde recibe 409 y no deja nada."""
    from servidor_referencia.dominio import personal as dominio_personal
    from servidor_referencia.web import personal as web_personal

    h = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    original = dominio_personal.crear_usuario

    def con_carrera(bd: Any, *args: Any, **kw: Any) -> Usuario:
        fila = original(bd, *args, **kw)
        # Lo que habría escrito la otra petición entre la comprobación y la escritura.
        bd.add(Usuario(usuario="gemela", nombre="Gemela", correo=fila.correo, rol="auditor"))
        bd.flush()
        return fila

    antes = _filas(app)
    monkeypatch.setattr(web_personal.personal, "crear_usuario", con_carrera)
    r = cliente.post("/api/v1/personal/usuarios", headers=h, json=ALTA)
    assert r.status_code == 409 and _error(r) == "conflicto"
    assert _filas(app) == antes


def test_choque_al_confirmar(app: Flask, cliente: FlaskClient, monkeypatch: Any) -> None:
    """Un conflicto que la base detecta al confirmar (p. ej. versión o restricción diferida) → 409."""
    h = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    antes = _filas(app)
    confirmar = sa.orm.Session.commit
    llamadas: list[int] = []

    def commit_en_carrera(self: sa.orm.Session) -> None:
        if not llamadas:
            llamadas.append(1)
            raise sa.exc.IntegrityError("COMMIT", {}, Exception("unique violation"))
        confirmar(self)

    monkeypatch.setattr(sa.orm.Session, "commit", commit_en_carrera)
    r = cliente.post("/api/v1/personal/usuarios", headers=h, json=ALTA)
    monkeypatch.undo()
    assert r.status_code == 409 and _error(r) == "conflicto"
    assert _filas(app) == antes


# ---------------------------------------------------------------- secretos


def auditora_id(app: Flask) -> int:
    with transaccion(_fabrica(app)) as bd:
        return bd.scalars(select(Usuario.id).where(Usuario.usuario == "nueva.persona")).one()


def test_ningun_secreto_en_respuestas_ni_registros(
    app: Flask, cliente: FlaskClient, correo: Any, caplog: Any, monkeypatch: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    for nombre in ("sqlalchemy", "sqlalchemy.engine", "sqlalchemy.pool"):  # sin eco de SQL (no es el del servidor)
        logging.getLogger(nombre).setLevel(logging.WARNING)
    respuestas: list[str] = []

    def guardar(r: Any) -> Any:
        respuestas.append(r.get_data(as_text=True) + str(r.headers))
        return r

    admin = crear_personal(app, Rol.ADMINISTRADOR)
    # La respuesta al abrir sesión es la única que lleva el testigo (a quien lo pidió).
    r = cliente.post(
        "/api/v1/sesion", json={"usuario": admin.usuario, "contrasena": admin.contrasena, "codigo": admin.codigo()}
    )
    testigo_sesion = r.get_json()["testigo"]
    assert admin.contrasena not in r.get_data(as_text=True) and admin.secreto not in r.get_data(as_text=True)
    h = cabecera(testigo_sesion)
    guardar(cliente.post("/api/v1/personal/usuarios", headers=h, json=ALTA))
    despachar(app)
    testigo_enlace = re.search(r"/personal/activar/([A-Za-z0-9_-]+)", cuerpo(correo.para("nueva@ine.example")[0]))
    assert testigo_enlace
    secreto = secreto_totp_nuevo()
    contrasena = "contraseña-secreta-de-la-auditora"
    guardar(
        cliente.post(
            "/api/v1/personal/activar",
            json={
                "testigo": testigo_enlace.group(1),
                "contrasena": contrasena,
                "totp_secreto": secreto,
                "codigo": codigo_totp(secreto),
            },
        )
    )
    guardar(
        cliente.post(
            "/api/v1/personal/activar",
            json={
                "testigo": testigo_enlace.group(1),
                "contrasena": contrasena,
                "totp_secreto": secreto,
                "codigo": "000000",
            },
        )
    )
    guardar(
        cliente.post(
            "/api/v1/sesion",
            json={"usuario": "nueva.persona", "contrasena": contrasena + "x", "codigo": codigo_totp(secreto)},
        )
    )
    r = cliente.post(
        "/api/v1/sesion",
        json={"usuario": "nueva.persona", "contrasena": contrasena, "codigo": codigo_totp(secreto, time.time() + 30)},
    )
    testigo_auditora = r.get_json()["testigo"]
    assert contrasena not in r.get_data(as_text=True) and secreto not in r.get_data(as_text=True)
    guardar(cliente.get("/api/v1/bitacora", headers=h))
    guardar(cliente.get("/personal/usuarios"))
    guardar(cliente.delete("/api/v1/sesion", headers=h))

    # Un error inesperado dentro de la activación por página tampoco filtra el testigo de la ruta.
    from servidor_referencia.dominio import activacion
    from servidor_referencia.web import personal as web_personal

    with transaccion(_fabrica(app)) as bd:
        otro_enlace = activacion.crear_enlace(bd, "personal", auditora_id(app), 3600)

    def qr_roto(_uri: str) -> str:
        raise RuntimeError("fallo interno al dibujar el QR")

    monkeypatch.setattr(web_personal, "qr_data_uri", qr_roto)
    r = guardar(cliente.get(f"/personal/activar/{otro_enlace}"))
    assert r.status_code == 500

    # Los registros del servidor (no los del servidor SMTP de prueba, que muestra el correo recibido).
    formato = logging.Formatter("%(name)s %(levelname)s %(message)s")
    registros = "\n".join(formato.format(r) for r in caplog.records if not r.name.startswith("mail.log"))
    assert "error inesperado en GET /personal/activar/<testigo>" in registros
    with transaccion(_fabrica(app)) as bd:
        auditora = bd.scalars(select(Usuario).where(Usuario.usuario == "nueva.persona")).one()
        hash_contrasena = auditora.hash_contrasena
        bitacora_texto = str([(e.actor, e.accion, e.objeto, e.detalles) for e in bd.scalars(select(EntradaBitacora))])
    for secreto_visible in (
        admin.contrasena,
        contrasena,
        secreto,
        admin.secreto,
        testigo_sesion,
        testigo_auditora,
        testigo_enlace.group(1),
        otro_enlace,
        hash_contrasena,
    ):
        assert secreto_visible
        for r_texto in respuestas:
            assert secreto_visible not in r_texto
        assert secreto_visible not in registros
        assert secreto_visible not in bitacora_texto


def test_errores_de_base_sin_parametros(app: Flask) -> None:
    """Un error de la base nunca incluye los valores enlazados (p. ej. un secreto TOTP)."""
    crear_personal(app, Rol.ADMINISTRADOR, usuario="repetida")
    secreto = secreto_totp_nuevo()
    with pytest.raises(sa.exc.IntegrityError) as error:
        with transaccion(_fabrica(app)) as bd:
            bd.add(Usuario(usuario="repetida", nombre="X", correo="x@ine.example", rol="auditor", totp_secreto=secreto))
            bd.flush()
    assert secreto not in str(error.value)
    assert "hidden due to hide_parameters" in str(error.value)
