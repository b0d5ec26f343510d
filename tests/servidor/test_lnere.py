"""LNERE en el servidor (§16): cortes versionados, código de integridad del documento descargado,
permisos por rol, comparación por la API y en páginas, inmutabilidad y bitácora.

Las solicitudes se crean directamente con el ORM (fábrica ``solicitud``), sin pasar por el
SRVE: así estas pruebas no dependen de sus reglas de alta ni de su dictaminación.
"""

from __future__ import annotations

import hashlib
import io
import itertools
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from herramientas import crear_personal, entrar_paginas, enviar_formulario, sesion_api

from servidor_referencia.bd.base import transaccion
from servidor_referencia.bd.lnere import CorteLNERE, RegistroLNERE
from servidor_referencia.bd.personal import EntradaBitacora
from servidor_referencia.bd.srve import Solicitud
from servidor_referencia.dominio import bitacora
from servidor_referencia.dominio.lnere import verificar_corte
from servidor_referencia.dominio.lnere_canonica import leer
from servidor_referencia.dominio.roles import Rol

_numeros = itertools.count(1)


def solicitud(app: Flask, **campos: Any) -> int:
    """Crea una solicitud con el ORM (por omisión procedente, activa y electrónica)."""
    n = next(_numeros)
    fecha = campos.pop("fecha_nacimiento", date(1990, 1, 1) if n % 2 else date(1985, 3, 15))
    entidad = campos.pop("entidad", "14")
    valores: dict[str, Any] = {
        "folio": f"VMRE-26-{n:07d}-X",
        "activa": True,
        "estado": "procedente",
        "canal": "portal",
        "nombres": f"Nombre {n}",
        "primer_apellido": "Gómez",
        "segundo_apellido": "",
        "fecha_nacimiento": fecha,
        "clave_elector": f"GOMZJN{fecha.strftime('%y%m%d')}{entidad}H{n:03d}",
        "tipo_credencial": "mexico",
        "entidad": entidad,
        "pais": "US",
        "domicilio": {"calle_numero": "1 Main St", "ciudad": "Chicago", "region": "IL", "codigo_postal": "60601"},
        "correo": f"elector{n}@ejemplo.org",
        "telefono": f"+1312555{n:04d}",
        "modalidad": "electronica",
    }
    valores.update(campos)
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        fila = Solicitud(**valores)
        bd.add(fila)
        bd.flush()
        return fila.id


def cambiar_solicitud(app: Flask, ident: int, **campos: Any) -> None:
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        fila = bd.get(Solicitud, ident)
        assert fila is not None
        for k, v in campos.items():
            setattr(fila, k, v)


def consultar(app: Flask, consulta: Any) -> list[Any]:
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        return list(bd.execute(consulta).all())


def bitacora_de(app: Flask, accion: str) -> list[EntradaBitacora]:
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        return list(
            bd.scalars(
                sa.select(EntradaBitacora).where(EntradaBitacora.accion == accion).order_by(EntradaBitacora.id)
            ).all()
        )


@pytest.fixture
def admin(app: Flask, cliente: FlaskClient) -> dict[str, str]:
    return sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))


def sesion_de(app: Flask, cliente: FlaskClient, rol: Rol) -> dict[str, str]:
    return sesion_api(cliente, crear_personal(app, rol))


def crear_corte(cliente: FlaskClient, cabeceras: dict[str, str], modalidad: str = "electronica") -> dict[str, Any]:
    r = cliente.post("/api/v1/lnere/cortes", json={"modalidad": modalidad}, headers=cabeceras)
    assert r.status_code == 201, r.get_json()
    return r.get_json()  # type: ignore[no-any-return]


# ------------------------------------------------------------------ creación (16.1)


def test_cut_takes_exactly_active_procedente_requests_of_its_modality(app, cliente, admin) -> None:
    dentro = [solicitud(app) for _ in range(3)]
    solicitud(app, estado="en_revision")
    solicitud(app, estado="improcedente", activa=False)
    solicitud(app, estado="procedente", activa=False)
    solicitud(app, modalidad="postal")
    corte = crear_corte(cliente, admin)
    assert (corte["modalidad"], corte["version"], corte["num_registros"]) == ("electronica", 1, 3)
    filas = consultar(app, sa.select(RegistroLNERE.solicitud_id).where(RegistroLNERE.corte_id == corte["id"]))
    assert sorted(f[0] for f in filas) == dentro


def test_versions_increase_per_modality(app, cliente, admin) -> None:
    solicitud(app)
    solicitud(app, modalidad="postal")
    assert crear_corte(cliente, admin)["version"] == 1
    assert crear_corte(cliente, admin)["version"] == 2
    assert crear_corte(cliente, admin, "postal")["version"] == 1
    assert crear_corte(cliente, admin)["version"] == 3
    lista = cliente.get("/api/v1/lnere/cortes?modalidad=electronica", headers=admin).get_json()["cortes"]
    assert [c["version"] for c in lista] == [3, 2, 1]


def test_downloaded_document_hash_is_the_integrity_code(app, cliente, admin) -> None:
    solicitud(app, nombres="María  José", primer_apellido="Pe\u0301rez", segundo_apellido="")
    solicitud(app, segundo_apellido="López")
    corte = crear_corte(cliente, admin)
    r = cliente.get(f"/api/v1/lnere/cortes/{corte['id']}/documento", headers=admin)
    assert r.status_code == 200 and r.mimetype == "application/x-ndjson"
    contenido = r.get_data()
    assert hashlib.sha256(contenido).hexdigest() == corte["codigo_integridad"] == r.headers["X-Codigo-Integridad"]
    assert len(corte["codigo_integridad"]) == 64 and corte["codigo_integridad"] == corte["codigo_integridad"].lower()
    doc = leer(contenido)
    assert doc.encabezado.num_registros == 2
    assert {r.nombres for r in doc.registros} >= {"María José"}
    assert any(r.primer_apellido == "P\u00e9rez" for r in doc.registros)
    lista = cliente.get(f"/api/v1/lnere/cortes/{corte['id']}/registros", headers=admin).get_json()
    assert lista["registros"] == [r.como_json() for r in doc.registros]
    # Lo guardado en la tabla de registros es lo mismo que el documento (16.14).
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        fila = bd.get(CorteLNERE, corte["id"])
        assert fila is not None and verificar_corte(bd, fila)


def test_empty_cut_is_rejected_and_writes_nothing(app, cliente, admin) -> None:
    solicitud(app, modalidad="postal")
    r = cliente.post("/api/v1/lnere/cortes", json={"modalidad": "presencial"}, headers=admin)
    assert r.status_code == 409 and r.get_json()["error"]["codigo"] == "corte_vacio"
    assert "no se crea un corte vacío" in r.get_json()["error"]["mensaje"]
    assert consultar(app, sa.select(sa.func.count()).select_from(CorteLNERE))[0][0] == 0
    assert bitacora_de(app, "lnere.crear_corte") == []


@pytest.mark.parametrize(
    ("cuerpo", "codigo"),
    [
        ({"modalidad": "internet"}, "valor_invalido"),
        ({"modalidad": 3}, "tipo_invalido"),
        ({}, "campo_faltante"),
        ({"modalidad": "postal", "version": 9}, "campo_desconocido"),
    ],
)
def test_bad_cut_requests(app, cliente, admin, cuerpo, codigo) -> None:
    solicitud(app, modalidad="postal")
    r = cliente.post("/api/v1/lnere/cortes", json=cuerpo, headers=admin)
    assert r.status_code == 400 and r.get_json()["error"]["codigo"] == codigo
    assert consultar(app, sa.select(sa.func.count()).select_from(CorteLNERE))[0][0] == 0


def test_request_that_cannot_enter_a_cut_names_its_folio(app, cliente, admin) -> None:
    solicitud(app)
    solicitud(app, clave_elector="gomzjn90010114h999", folio="VMRE-26-9999999-Z")
    r = cliente.post("/api/v1/lnere/cortes", json={"modalidad": "electronica"}, headers=admin)
    assert r.status_code == 409
    assert r.get_json()["error"] == {
        "codigo": "documento_lnere_invalido",
        "mensaje": r.get_json()["error"]["mensaje"],
        "detalles": {"folio": "VMRE-26-9999999-Z"},
    }
    assert consultar(app, sa.select(sa.func.count()).select_from(RegistroLNERE))[0][0] == 0


def test_cut_creation_is_audited(app, cliente, admin) -> None:
    solicitud(app)
    corte = crear_corte(cliente, admin)
    entradas = bitacora_de(app, "lnere.crear_corte")
    assert len(entradas) == 1
    e = entradas[0]
    assert e.rol == "administrador" and e.objeto == f"corte_lnere:{corte['id']}"
    assert e.detalles == {
        "modalidad": "electronica",
        "version": 1,
        "num_registros": 1,
        "codigo_integridad": corte["codigo_integridad"],
    }
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        assert bitacora.verificar_cadena(bd) >= 1


# -------------------------------------------------------------- inmutabilidad (16.14)


def test_changes_after_a_cut_do_not_alter_it(app, cliente, admin) -> None:
    uno = solicitud(app, nombres="Juan Carlos")
    dos = solicitud(app)
    corte1 = crear_corte(cliente, admin)
    antes = cliente.get(f"/api/v1/lnere/cortes/{corte1['id']}/documento", headers=admin).get_data()
    cambiar_solicitud(app, uno, nombres="Juan Carlas")
    cambiar_solicitud(app, dos, estado="improcedente", activa=False)
    solicitud(app)
    despues = cliente.get(f"/api/v1/lnere/cortes/{corte1['id']}/documento", headers=admin).get_data()
    assert despues == antes
    assert (
        cliente.get(f"/api/v1/lnere/cortes/{corte1['id']}", headers=admin).get_json()["codigo_integridad"]
        == corte1["codigo_integridad"]
    )
    registros = cliente.get(f"/api/v1/lnere/cortes/{corte1['id']}/registros", headers=admin).get_json()["registros"]
    assert "Juan Carlos" in {r["nombres"] for r in registros}
    corte2 = crear_corte(cliente, admin)
    assert corte2["version"] == 2 and corte2["codigo_integridad"] != corte1["codigo_integridad"]
    r = cliente.post(
        "/api/v1/lnere/comparar", json={"corte_a": corte1["id"], "corte_b": corte2["id"]}, headers=admin
    ).get_json()
    assert r["resultado"] == "diferentes" and r["num_agregados"] == r["num_eliminados"] == r["num_cambiados"] == 1
    assert r["cambiados"][0]["campos"] == ["nombres"]
    assert r["encabezado"] == [{"campo": "version_corte", "a": 1, "b": 2}]


def test_database_rejects_update_and_delete_of_a_cut(app, cliente, admin) -> None:
    solicitud(app)
    corte = crear_corte(cliente, admin)
    fabrica = app.extensions["vmre"]["fabrica"]
    for sentencia in (
        sa.update(CorteLNERE).values(codigo_integridad="0" * 64),
        sa.delete(RegistroLNERE),
        sa.update(RegistroLNERE).values(nombres="Otro"),
        sa.delete(CorteLNERE),
    ):
        with pytest.raises(sa.exc.DBAPIError, match="inmutable"), transaccion(fabrica) as bd:
            bd.execute(sentencia)
    assert (
        cliente.get(f"/api/v1/lnere/cortes/{corte['id']}", headers=admin).get_json()["codigo_integridad"]
        == corte["codigo_integridad"]
    )


# ------------------------------------------------------------------- permisos (16.15)


def test_counts_per_entity_and_country_for_every_reading_role(app, cliente, admin) -> None:
    solicitud(app, entidad="14", pais="US")
    solicitud(app, entidad="14", pais="CA")
    solicitud(app, entidad="09", pais="US")
    corte = crear_corte(cliente, admin)
    for rol in (Rol.ADMINISTRADOR, Rol.OPERADOR, Rol.AUDITOR, Rol.REPRESENTANTE, Rol.AUTORIDAD_CREDENCIALES):
        cab = sesion_de(app, cliente, rol)
        lista = cliente.get("/api/v1/lnere/cortes", headers=cab)
        assert lista.status_code == 200
        assert lista.get_json()["cortes"] == [{k: corte[k] for k in corte}]
        r = cliente.get(f"/api/v1/lnere/cortes/{corte['id']}", headers=cab)
        assert r.status_code == 200, rol
        datos = r.get_json()
        assert datos["por_entidad"] == {"09": 1, "14": 2}
        assert datos["por_pais"] == {"CA": 1, "US": 2}
        assert datos["codigo_integridad"] == corte["codigo_integridad"]


@pytest.mark.parametrize("rol", [Rol.REPRESENTANTE, Rol.AUTORIDAD_CREDENCIALES])
def test_roles_without_full_list_get_403(app, cliente, admin, rol) -> None:
    solicitud(app)
    corte = crear_corte(cliente, admin)
    cab = sesion_de(app, cliente, rol)
    for ruta in ("registros", "documento"):
        r = cliente.get(f"/api/v1/lnere/cortes/{corte['id']}/{ruta}", headers=cab)
        assert r.status_code == 403 and r.get_json()["error"]["codigo"] == "rol_no_permitido"
    r = cliente.post("/api/v1/lnere/cortes", json={"modalidad": "electronica"}, headers=cab)
    assert r.status_code == 403
    # Comparar: códigos y conteos sí; claves de elector no.
    r = cliente.post("/api/v1/lnere/comparar", json={"corte_a": corte["id"], "corte_b": corte["id"]}, headers=cab)
    assert r.status_code == 200
    assert r.get_json()["resultado"] == "idénticas" and "agregados" not in r.get_json()


@pytest.mark.parametrize("rol", [Rol.OPERADOR, Rol.AUDITOR])
def test_full_list_roles_read_but_do_not_create(app, cliente, admin, rol) -> None:
    solicitud(app)
    corte = crear_corte(cliente, admin)
    cab = sesion_de(app, cliente, rol)
    assert cliente.get(f"/api/v1/lnere/cortes/{corte['id']}/registros", headers=cab).status_code == 200
    assert cliente.get(f"/api/v1/lnere/cortes/{corte['id']}/documento", headers=cab).status_code == 200
    r = cliente.post("/api/v1/lnere/cortes", json={"modalidad": "electronica"}, headers=cab)
    assert r.status_code == 403 and r.get_json()["error"]["codigo"] == "rol_no_permitido"


@pytest.mark.parametrize("rol", [Rol.CUSTODIO, Rol.OPERADOR_INETEL])
def test_other_roles_see_nothing(app, cliente, admin, rol) -> None:
    solicitud(app)
    corte = crear_corte(cliente, admin)
    cab = sesion_de(app, cliente, rol)
    for ruta in ("/api/v1/lnere/cortes", f"/api/v1/lnere/cortes/{corte['id']}"):
        assert cliente.get(ruta, headers=cab).status_code == 403


def test_without_session_401(cliente) -> None:
    r = cliente.get("/api/v1/lnere/cortes")
    assert r.status_code == 401 and r.get_json()["error"]["codigo"] == "no_autenticado"


def test_reading_the_full_list_is_audited(app, cliente, admin) -> None:
    solicitud(app)
    corte = crear_corte(cliente, admin)
    auditor = sesion_de(app, cliente, Rol.AUDITOR)
    cliente.get(f"/api/v1/lnere/cortes/{corte['id']}/registros", headers=auditor)
    cliente.get(f"/api/v1/lnere/cortes/{corte['id']}/documento", headers=auditor)
    assert [e.rol for e in bitacora_de(app, "lnere.consultar_registros")] == ["auditor"]
    descargas = bitacora_de(app, "lnere.descargar_documento")
    assert len(descargas) == 1 and descargas[0].detalles["codigo_integridad"] == corte["codigo_integridad"]


# ------------------------------------------------------------------ comparación (16.12)


def test_compare_cut_with_uploaded_document(app, cliente, admin) -> None:
    solicitud(app, nombres="Juan Carlos", clave_elector="GOMZJN90010114HA01")
    solicitud(app, nombres="Ana")
    corte = crear_corte(cliente, admin)
    ruta = f"/api/v1/lnere/cortes/{corte['id']}/comparar"
    documento = cliente.get(f"/api/v1/lnere/cortes/{corte['id']}/documento", headers=admin).get_data()
    r = cliente.post(ruta, data=documento, content_type="application/x-ndjson", headers=admin)
    assert r.status_code == 200
    assert r.get_json()["resultado"] == "idénticas"
    assert (
        r.get_json()["a"]["codigo_integridad"] == r.get_json()["b"]["codigo_integridad"] == corte["codigo_integridad"]
    )
    # Un solo carácter distinto en un nombre.
    alterado = documento.replace(b'"nombres":"Juan Carlos"', b'"nombres":"Juan Carlas"')
    assert alterado != documento
    r = cliente.post(ruta, data=alterado, content_type="application/octet-stream", headers=admin).get_json()
    assert r["resultado"] == "diferentes"
    assert r["b"]["codigo_integridad"] == hashlib.sha256(alterado).hexdigest()
    assert r["cambiados"] == [{"clave_elector": "GOMZJN90010114HA01", "campos": ["nombres"]}]
    assert r["agregados"] == r["eliminados"] == []
    comparaciones = bitacora_de(app, "lnere.comparar")
    assert [e.detalles["resultado"] for e in comparaciones] == ["idénticas", "diferentes"]
    assert comparaciones[1].detalles["codigo_b"] == r["b"]["codigo_integridad"]


def test_uploaded_document_errors(app, cliente, admin) -> None:
    solicitud(app)
    corte = crear_corte(cliente, admin)
    ruta = f"/api/v1/lnere/cortes/{corte['id']}/comparar"
    documento = cliente.get(f"/api/v1/lnere/cortes/{corte['id']}/documento", headers=admin).get_data()
    r = cliente.post(ruta, data=documento.replace(b"\n", b"\r\n"), content_type="application/x-ndjson", headers=admin)
    assert r.status_code == 400
    error = r.get_json()["error"]
    assert error["codigo"] == "documento_lnere_invalido" and error["detalles"] == {"linea": 1}
    assert "retorno de carro" in error["mensaje"]
    r = cliente.post(ruta, data=documento, content_type="text/plain", headers=admin)
    assert r.status_code == 415 and r.get_json()["error"]["codigo"] == "tipo_de_contenido_invalido"
    r = cliente.post(
        "/api/v1/lnere/cortes/999/comparar", data=documento, content_type="application/x-ndjson", headers=admin
    )
    assert r.status_code == 404 and r.get_json()["error"]["codigo"] == "no_encontrado"
    # Más grande que el límite general de 256 KiB: se acepta (límite propio de 64 MiB) y se rechaza por forma.
    grande = documento + b" " * (300 * 1024)
    r = cliente.post(ruta, data=grande, content_type="application/x-ndjson", headers=admin)
    assert r.status_code == 400 and r.get_json()["error"]["codigo"] == "documento_lnere_invalido"
    assert bitacora_de(app, "lnere.comparar") == []


@pytest.mark.parametrize(
    ("cuerpo", "estado", "codigo"),
    [
        ({"corte_a": 1}, 400, "campo_faltante"),
        ({"corte_a": "1", "corte_b": 1}, 400, "tipo_invalido"),
        ({"corte_a": 1, "corte_b": 1, "extra": True}, 400, "campo_desconocido"),
        ({"corte_a": 1, "corte_b": 77}, 404, "no_encontrado"),
    ],
)
def test_compare_api_bad_input(app, cliente, admin, cuerpo, estado, codigo) -> None:
    solicitud(app)
    crear_corte(cliente, admin)
    r = cliente.post("/api/v1/lnere/comparar", json=cuerpo, headers=admin)
    assert r.status_code == estado and r.get_json()["error"]["codigo"] == codigo


# ----------------------------------------------------------------------------- páginas


def test_pages_for_administrator(app, cliente) -> None:
    solicitud(app, entidad="14", pais="US", nombres="Juan Carlos")
    solicitud(app, entidad="09", pais="ES", modalidad="postal")
    entrar_paginas(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    r = enviar_formulario(cliente, "/lnere/cortes/nuevo", {"modalidad": "presencial"}, url_get="/lnere/cortes")
    assert r.status_code == 409 and "corte_vacio" in r.get_data(as_text=True)
    r = enviar_formulario(cliente, "/lnere/cortes/nuevo", {"modalidad": "electronica"}, url_get="/lnere/cortes")
    assert r.status_code == 302
    pagina = cliente.get(r.headers["Location"]).get_data(as_text=True)
    codigo = consultar(app, sa.select(CorteLNERE.codigo_integridad))[0][0]
    assert codigo in pagina and "Jalisco" in pagina and "coincide con su código de integridad" in pagina
    assert "Descargar el documento canónico" in pagina
    assert codigo in cliente.get("/lnere/cortes").get_data(as_text=True)
    corte_id = consultar(app, sa.select(CorteLNERE.id))[0][0]
    lista = cliente.get(f"/lnere/cortes/{corte_id}/registros")
    assert lista.status_code == 200 and "Juan Carlos" in lista.get_data(as_text=True)
    descarga = cliente.get(f"/lnere/cortes/{corte_id}/documento")
    assert hashlib.sha256(descarga.get_data()).hexdigest() == codigo
    assert "attachment" in descarga.headers["Content-Disposition"]


def test_compare_page_with_file_and_with_two_cuts(app, cliente) -> None:
    uno = solicitud(app, nombres="Juan Carlos", clave_elector="GOMZJN90010114HA01")
    entrar_paginas(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    enviar_formulario(cliente, "/lnere/cortes/nuevo", {"modalidad": "electronica"}, url_get="/lnere/cortes")
    cambiar_solicitud(app, uno, nombres="Juan Carlas")
    enviar_formulario(cliente, "/lnere/cortes/nuevo", {"modalidad": "electronica"}, url_get="/lnere/cortes")
    (id1,), (id2,) = consultar(app, sa.select(CorteLNERE.id).order_by(CorteLNERE.version))
    documento = cliente.get(f"/lnere/cortes/{id1}/documento").get_data()
    r = enviar_formulario(
        cliente,
        "/lnere/comparar",
        {"corte_a": str(id1), "archivo": (io.BytesIO(documento), "nube.jsonl")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 200 and "Resultado: <strong>idénticas</strong>" in r.get_data(as_text=True)
    r = enviar_formulario(cliente, "/lnere/comparar", {"corte_a": str(id1), "corte_b": str(id2)})
    html = r.get_data(as_text=True)
    assert "Resultado: <strong>diferentes</strong>" in html and "GOMZJN90010114HA01" in html
    assert "cambió: nombres" in html
    r = enviar_formulario(
        cliente,
        "/lnere/comparar",
        {"corte_a": str(id1), "archivo": (io.BytesIO(b"basura"), "nube.jsonl")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 400 and "documento_lnere_invalido" in r.get_data(as_text=True)
    # Un archivo mayor que el límite general de 256 KiB llega a la comparación (límite propio).
    grande = documento + b" " * (300 * 1024)
    r = enviar_formulario(
        cliente,
        "/lnere/comparar",
        {"corte_a": str(id1), "archivo": (io.BytesIO(grande), "nube.jsonl")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 400 and "documento_lnere_invalido" in r.get_data(as_text=True)
    r = enviar_formulario(cliente, "/lnere/comparar", {"corte_a": str(id1), "corte_b": "uno"})
    assert r.status_code == 400 and "tipo_invalido" in r.get_data(as_text=True)
    r = enviar_formulario(cliente, "/lnere/comparar", {"corte_a": str(id1)})
    assert r.status_code == 400 and "campo_faltante" in r.get_data(as_text=True)


def test_pages_for_party_representative(app, cliente) -> None:
    solicitud(app, nombres="Juan Carlos", clave_elector="GOMZJN90010114HA01")
    admin = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    corte = crear_corte(cliente, admin)
    otro = app.test_client()
    entrar_paginas(otro, crear_personal(app, Rol.REPRESENTANTE))
    pagina = otro.get(f"/lnere/cortes/{corte['id']}").get_data(as_text=True)
    assert corte["codigo_integridad"] in pagina and "Jalisco" in pagina
    assert "Descargar" not in pagina and "Juan Carlos" not in pagina
    assert otro.get(f"/lnere/cortes/{corte['id']}/registros").status_code == 403
    assert otro.get(f"/lnere/cortes/{corte['id']}/documento").status_code == 403
    assert "Nuevo corte" not in otro.get("/lnere/cortes").get_data(as_text=True)
    r = enviar_formulario(otro, "/lnere/comparar", {"corte_a": str(corte["id"]), "corte_b": str(corte["id"])})
    assert "idénticas" in r.get_data(as_text=True)
    r = enviar_formulario(otro, "/lnere/cortes/nuevo", {"modalidad": "electronica"}, url_get="/lnere/cortes")
    assert r.status_code == 403


def test_page_without_session_redirects_to_login(cliente) -> None:
    r = cliente.get("/lnere/cortes")
    assert r.status_code == 302 and "/personal/acceso" in r.headers["Location"]


# ------------------------------------------------------- de la solicitud al corte (SRVE → LNERE)


def test_person_registered_through_srve_appears_in_the_cut(app, cliente) -> None:
    """Paso a paso: alta por la API pública del SRVE, dictamen procedente, corte, código."""
    from srve_datos import solicitud as datos_solicitud

    r = cliente.post("/api/v1/srve/solicitudes", json=datos_solicitud(7, nombres="María  José"))
    assert r.status_code == 201, r.get_json()
    folio, clave = r.get_json()["folio"], r.get_json()["clave_elector"]
    otra = cliente.post("/api/v1/srve/solicitudes", json=datos_solicitud(8)).get_json()["folio"]
    operador = sesion_de(app, cliente, Rol.OPERADOR)
    r = cliente.post(f"/api/v1/srve/solicitudes/{folio}/dictamen", json={"resultado": "procedente"}, headers=operador)
    assert r.status_code == 200, r.get_json()
    admin = sesion_de(app, cliente, Rol.ADMINISTRADOR)
    corte = crear_corte(cliente, admin)
    assert corte["num_registros"] == 1  # la otra solicitud sigue en revisión
    documento = cliente.get(f"/api/v1/lnere/cortes/{corte['id']}/documento", headers=admin).get_data()
    (registro,) = leer(documento).registros
    assert (registro.folio, registro.clave_elector) == (folio, clave)
    assert registro.nombres == "María José"
    assert otra not in documento.decode("utf-8")
    r = cliente.post(
        f"/api/v1/lnere/cortes/{corte['id']}/comparar",
        data=documento,
        content_type="application/x-ndjson",
        headers=admin,
    )
    assert r.get_json()["resultado"] == "idénticas"
