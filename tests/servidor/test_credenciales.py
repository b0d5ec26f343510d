"""Credenciales de votación (§17.6–§17.8): destinatarios, carga validada de la lista pública,
H_C, roles, y la orden ``vmre credenciales generar`` de principio a fin contra un servidor
HTTP real y un SMTP real (aiosmtpd), comprobando que el servidor no guarda ningún secreto.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from herramientas import CONTRASENA, crear_personal, cuerpo, entrar_paginas, sesion_api
from sqlalchemy import select
from test_cuentas import contar, crear_corte, crear_cuentas

from servidor_referencia.bd.base import Base, transaccion
from servidor_referencia.bd.correo import MensajeSaliente
from servidor_referencia.bd.cuentas import CredencialPublica, ListaCredencialesPublicas
from servidor_referencia.bd.personal import EntradaBitacora
from servidor_referencia.clientes.cli_credenciales import credenciales
from servidor_referencia.dominio.roles import Rol
from vmre_crypto import GRUPO_ESTANDAR, a_json, decodificar_credencial_secreta, generar_credencial
from vmre_crypto.credenciales import hash_lista_credenciales
from vmre_crypto.primitivas.parametros import hash_parametros

if TYPE_CHECKING:
    from conftest import Buzon, ServidorVivo

G = GRUPO_ESTANDAR
_CREDENCIAL = re.compile(r"\b([0-9A-Z]{4}(?:-[0-9A-Z]{4}){13})\b")


def _error(r) -> str:  # type: ignore[no-untyped-def]
    return str(r.get_json()["error"]["codigo"])


def _publicas(n: int) -> list[str]:
    return [a_json(generar_credencial(G).publica) for _ in range(n)]


def _autoridad(cliente: FlaskClient, app: Flask) -> dict[str, str]:
    return sesion_api(cliente, crear_personal(app, Rol.AUTORIDAD_CREDENCIALES))


# ---------------------------------------------------------------- destinatarios


def test_recipients_are_only_the_sorted_emails_and_only_for_the_authority(cliente: FlaskClient, app: Flask) -> None:
    corte = crear_corte(app, 4)
    r = cliente.get(f"/api/v1/credenciales/cortes/{corte.id}/destinatarios", headers=_autoridad(cliente, app))
    assert r.status_code == 200
    datos = r.get_json()
    assert set(datos) == {"corte", "num_destinatarios", "destinatarios"}
    assert datos["destinatarios"] == sorted(e.correo for e in corte.electores)
    assert datos["num_destinatarios"] == 4
    assert contar(app, EntradaBitacora, EntradaBitacora.accion == "consultar_destinatarios") == 1
    for rol in (Rol.OPERADOR, Rol.REPRESENTANTE, Rol.ADMINISTRADOR, Rol.AUDITOR):
        r = cliente.get(
            f"/api/v1/credenciales/cortes/{corte.id}/destinatarios",
            headers=sesion_api(cliente, crear_personal(app, rol)),
        )
        assert r.status_code == 403 and _error(r) == "rol_no_permitido", rol
    r = cliente.get(f"/api/v1/credenciales/cortes/{corte.id}/destinatarios")
    assert r.status_code == 401 and _error(r) == "no_autenticado"


def test_recipients_of_a_postal_cut_are_refused(cliente: FlaskClient, app: Flask) -> None:
    postal = crear_corte(app, 2, modalidad="postal")
    r = cliente.get(f"/api/v1/credenciales/cortes/{postal.id}/destinatarios", headers=_autoridad(cliente, app))
    assert r.status_code == 400 and _error(r) == "corte_no_electronico"


# ---------------------------------------------------------------- carga de la lista pública


def test_upload_stores_the_sorted_list_and_h_c_of_equation_8_9(cliente: FlaskClient, app: Flask) -> None:
    corte = crear_corte(app, 5)
    publicas = _publicas(5)
    r = cliente.post(
        f"/api/v1/credenciales/cortes/{corte.id}", headers=_autoridad(cliente, app), json={"publicas": publicas}
    )
    assert r.status_code == 201, r.get_json()
    esperado = hash_lista_credenciales(hash_parametros(G), [G.p_elemento(int(x, 16)) for x in publicas]).hex()
    assert r.get_json() == {"corte": corte.id, "num_credenciales": 5, "hash_lista": esperado}
    ordenadas = sorted(publicas, key=lambda x: int(x, 16))
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        filas = list(bd.scalars(select(CredencialPublica).order_by(CredencialPublica.id)))
        assert [f.publica for f in filas] == ordenadas  # ni el id conserva el orden de llegada
        lista = bd.scalars(select(ListaCredencialesPublicas)).one()
        assert lista.hash_lista == esperado and lista.num_credenciales == 5
    entrada = [e for e in _bitacora(app) if e.accion == "cargar_credenciales"]
    assert len(entrada) == 1 and entrada[0].detalles == {"num_credenciales": 5, "hash_lista": esperado}
    # Todos los roles de lectura ven N y H_C en la API y en el panel; el operador no.
    for rol in (Rol.ADMINISTRADOR, Rol.AUDITOR, Rol.REPRESENTANTE, Rol.AUTORIDAD_CREDENCIALES):
        h = sesion_api(cliente, crear_personal(app, rol))
        estado = cliente.get("/api/v1/credenciales", headers=h).get_json()["cortes"]
        assert estado[0]["credenciales"]["hash_lista"] == esperado
        lista_api = cliente.get(f"/api/v1/credenciales/cortes/{corte.id}", headers=h).get_json()
        assert lista_api["publicas"] == ordenadas and lista_api["hash_lista"] == esperado
        navegador = app.test_client()
        entrar_paginas(navegador, crear_personal(app, rol))
        html = navegador.get("/personal/cuentas").get_data(as_text=True)
        assert esperado in html, rol
        assert "style=" not in html and "<script" not in html
    operador = sesion_api(cliente, crear_personal(app, Rol.OPERADOR))
    assert cliente.get("/api/v1/credenciales", headers=operador).status_code == 403
    navegador = app.test_client()
    entrar_paginas(navegador, crear_personal(app, Rol.OPERADOR))
    assert navegador.get("/personal/cuentas").status_code == 403


def _bitacora(app: Flask) -> list[EntradaBitacora]:
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        return list(bd.scalars(select(EntradaBitacora).order_by(EntradaBitacora.id)))


def test_second_upload_and_forbidden_roles(cliente: FlaskClient, app: Flask) -> None:
    corte = crear_corte(app, 2)
    url = f"/api/v1/credenciales/cortes/{corte.id}"
    for rol in (Rol.REPRESENTANTE, Rol.ADMINISTRADOR, Rol.OPERADOR):
        r = cliente.post(url, headers=sesion_api(cliente, crear_personal(app, rol)), json={"publicas": _publicas(2)})
        assert r.status_code == 403 and _error(r) == "rol_no_permitido", rol
    autoridad = _autoridad(cliente, app)
    assert cliente.post(url, headers=autoridad, json={"publicas": _publicas(2)}).status_code == 201
    r = cliente.post(url, headers=autoridad, json={"publicas": _publicas(2)})
    assert r.status_code == 409 and _error(r) == "credenciales_ya_cargadas"
    assert contar(app, CredencialPublica) == 2


def _no_es_miembro() -> str:
    return format(int(G.p) - 1, "X")  # −1 mod p: orden 2, fuera del subgrupo de orden q


@pytest.mark.parametrize(
    ("mutar", "codigo", "detalles"),
    [
        (lambda xs: xs[:-1], "numero_de_credenciales_invalido", {"esperadas": 3, "recibidas": 2}),
        (lambda xs: [*xs, xs[0]], "numero_de_credenciales_invalido", {"esperadas": 3, "recibidas": 4}),
        (lambda xs: [xs[0], xs[1], xs[0]], "credencial_duplicada", {"campo": "publicas", "indices": [0, 2]}),
        (lambda xs: [xs[0], _no_es_miembro(), xs[2]], "no_es_miembro_subgrupo", {"campo": "publicas", "indice": 1}),
        (lambda xs: [xs[0], xs[1], "XYZ"], "formato_invalido", {"campo": "publicas", "indice": 2}),
        (lambda xs: [xs[0].lower(), xs[1], xs[2]], "formato_invalido", {"campo": "publicas", "indice": 0}),
        (lambda xs: [xs[0], 7, xs[2]], "tipo_invalido", {"campo": "publicas", "indice": 1}),
        (lambda xs: [xs[0], "0" * 1024, xs[2]], "fuera_de_rango_p", {"campo": "publicas", "indice": 1}),
    ],
)
def test_upload_validation_rejects_and_writes_nothing(
    cliente: FlaskClient,
    app: Flask,
    mutar,
    codigo: str,  # type: ignore[no-untyped-def]
    detalles: dict,
) -> None:  # type: ignore[type-arg]
    corte = crear_corte(app, 3)
    r = cliente.post(
        f"/api/v1/credenciales/cortes/{corte.id}",
        headers=_autoridad(cliente, app),
        json={"publicas": mutar(_publicas(3))},
    )
    assert r.status_code == 400, r.get_json()
    assert _error(r) == codigo
    assert r.get_json()["error"]["detalles"] == detalles
    assert contar(app, ListaCredencialesPublicas) == 0 and contar(app, CredencialPublica) == 0
    assert contar(app, EntradaBitacora, EntradaBitacora.accion == "cargar_credenciales") == 0


def test_upload_body_shape_is_strict(cliente: FlaskClient, app: Flask) -> None:
    corte = crear_corte(app, 1)
    autoridad = _autoridad(cliente, app)
    url = f"/api/v1/credenciales/cortes/{corte.id}"
    r = cliente.post(url, headers=autoridad, json={"publicas": "no es lista"})
    assert r.status_code == 400 and _error(r) == "tipo_invalido"
    r = cliente.post(url, headers=autoridad, json={"publicas": _publicas(1), "orden": [0]})
    assert r.status_code == 400 and _error(r) == "campo_desconocido"
    r = cliente.post("/api/v1/credenciales/cortes/9999", headers=autoridad, json={"publicas": _publicas(1)})
    assert r.status_code == 404 and _error(r) == "no_encontrado"


def test_no_table_links_a_credential_to_an_elector() -> None:
    """(17.16): las tablas de credenciales solo apuntan al corte y a quien cargó la lista."""
    for nombre in ("lista_credenciales", "credencial_publica"):
        tabla = Base.metadata.tables[nombre]
        destinos = {fk.column.table.name for fk in tabla.foreign_keys}
        assert destinos <= {"corte_lnere", "usuario", "lista_credenciales"}, destinos
        assert not {"correo", "clave_elector", "cuenta_id", "registro_id", "telefono", "folio"} & set(tabla.c.keys())
    for nombre, tabla in Base.metadata.tables.items():
        for fk in tabla.foreign_keys:
            assert fk.column.table.name != "credencial_publica", nombre


# ---------------------------------------------------------------- la orden de la autoridad


def _invocar(vivo: ServidorVivo, usuario: str, secreto: str, corte: int, puerto_smtp: int):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(
        credenciales,
        [
            "generar",
            "--servidor",
            vivo.url,
            "--usuario",
            usuario,
            "--corte",
            str(corte),
            "--smtp-anfitrion",
            "127.0.0.1",
            "--smtp-puerto",
            str(puerto_smtp),
            "--proceso",
            "Simulacro de prueba",
        ],
        env={"VMRE_CONTRASENA": CONTRASENA, "VMRE_TOTP_SECRETO": secreto},
    )


def test_cli_generates_delivers_uploads_and_the_server_keeps_no_secret(
    servidor_vivo: ServidorVivo, app: Flask, cliente: FlaskClient, correo: Buzon, buzon: tuple[Buzon, int]
) -> None:
    # Paso 0: un corte electrónico con cuentas creadas (sus correos de activación también llegan).
    corte = crear_corte(app, 4)
    crear_cuentas(cliente, app, corte, correo)
    autoridad = crear_personal(app, Rol.AUTORIDAD_CREDENCIALES)

    # Paso 1: la orden, en proceso, contra el servidor HTTP real y el SMTP real.
    r = _invocar(servidor_vivo, autoridad.usuario, autoridad.secreto, corte.id, buzon[1])
    assert r.exit_code == 0, r.output
    h_c = re.search(r"^H_C = ([0-9a-f]{64})$", r.output, re.MULTILINE)
    assert h_c and "N = 4" in r.output and "coincide" in r.output

    # Paso 2: cada elector recibió exactamente un correo con su credencial, que se decodifica.
    publicas_servidor = cliente.get(
        f"/api/v1/credenciales/cortes/{corte.id}", headers=sesion_api(cliente, crear_personal(app, Rol.AUDITOR))
    ).get_json()
    assert publicas_servidor["hash_lista"] == h_c.group(1)
    secretos = []
    for e in corte.electores:
        mensajes = [m for m in correo.para(e.correo) if "credencial de votación" in str(m["Subject"])]
        assert len(mensajes) == 1, e.correo
        texto = cuerpo(mensajes[0])
        assert h_c.group(1) in texto
        encontrado = _CREDENCIAL.search(texto)
        assert encontrado, texto
        par = decodificar_credencial_secreta(G, encontrado.group(1))
        assert a_json(par.publica) in publicas_servidor["publicas"]
        secretos.append((encontrado.group(1), int(par.secreta.valor)))
    assert len({x for _t, x in secretos}) == 4

    # Paso 3: ninguna fila de ninguna tabla contiene un secreto, en ninguna forma.
    volcado = _volcar_base(app).upper()
    for texto, x in secretos:
        for forma in (texto, texto.replace("-", ""), format(x, "X"), format(x, "064X"), str(x)):
            assert forma.upper() not in volcado
    assert contar(app, MensajeSaliente, MensajeSaliente.asunto.contains("credencial de votación")) == 0

    # Paso 4: una segunda ejecución se detiene antes de generar nada.
    antes = len(correo.mensajes)
    r = _invocar(servidor_vivo, autoridad.usuario, autoridad.secreto, corte.id, buzon[1])
    assert r.exit_code == 1 and "credenciales_ya_cargadas" in r.output
    assert len(correo.mensajes) == antes


def _volcar_base(app: Flask) -> str:
    partes = []
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        for tabla in Base.metadata.sorted_tables:
            for fila in bd.execute(select(tabla)):
                partes.append(" ".join(repr(v) for v in fila))
    return "\n".join(partes)


def test_cli_refuses_an_account_without_the_authority_role(
    servidor_vivo: ServidorVivo, app: Flask, buzon: tuple[Buzon, int]
) -> None:
    corte = crear_corte(app, 1)
    representante = crear_personal(app, Rol.REPRESENTANTE)
    r = _invocar(servidor_vivo, representante.usuario, representante.secreto, corte.id, buzon[1])
    assert r.exit_code == 1 and "rol_no_permitido" in r.output
    assert buzon[0].mensajes == []
    r = _invocar(servidor_vivo, representante.usuario + "-x", representante.secreto, corte.id, buzon[1])
    assert r.exit_code == 1 and "credenciales_invalidas" in r.output


def test_a_large_cut_fits_while_the_body_limit_still_holds_for_small_cuts(cliente: FlaskClient, app: Flask) -> None:
    """(17.13): el límite del cuerpo crece con N (300 credenciales ≈ 310 KB > 256 KiB)."""
    limite = app.extensions["vmre"]["configuracion"].max_cuerpo_bytes
    grande = crear_corte(app, 300)
    autoridad = _autoridad(cliente, app)
    publicas = _publicas(300)
    cuerpo_json = {"publicas": publicas}
    assert len(str(cuerpo_json)) > limite
    r = cliente.post(f"/api/v1/credenciales/cortes/{grande.id}", headers=autoridad, json=cuerpo_json)
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["num_credenciales"] == 300
    pequeno = crear_corte(app, 2)
    r = cliente.post(f"/api/v1/credenciales/cortes/{pequeno.id}", headers=autoridad, json=cuerpo_json)
    assert r.status_code == 413 and _error(r) == "cuerpo_demasiado_grande"
    assert contar(app, ListaCredencialesPublicas) == 1
