"""Autorización en el SIVEI: quién puede hacer qué (§20, §21).

- El auditor y el representante solo leen: toda ruta POST/PUT/PATCH/DELETE bajo
  ``/api/v1/sivei`` (enumerada del ``url_map`` de la app, así que una ruta nueva queda cubierta
  sola) y los formularios de ``/sivei`` les responden 403 sin escribir nada.
- El administrador no deposita, no desafía y no descifra (ni avisa disponibilidad).
- Un custodio solo no descifra: sin k custodios disponibles no hay cuórum.
- Un elector no vota dos veces ni fuera de la ventana, y ninguna ruta GET le muestra datos de
  otro elector.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import pytest
import test_votacion_fabrica as fabrica
from flask import Flask
from flask.testing import FlaskClient
from herramientas import crear_personal, entrar_paginas, sesion_api
from sqlalchemy import func, select
from test_votacion_fabrica import ElectorPrueba, Escenario, abrir, crear_escenario, error

from servidor_referencia.bd.base import ahora, transaccion
from servidor_referencia.bd.ceremonia import CustodioAsignado
from servidor_referencia.bd.personal import EntradaBitacora
from servidor_referencia.bd.sivei import ProcesoElectoral
from servidor_referencia.bd.votacion import BoletaRecibida, EntradaTableroBD, MarcaVoto
from servidor_referencia.dominio.roles import Rol
from vmre_crypto import (
    ConfiguracionEleccion,
    DescifradorCustodio,
    EscrutinioCifrado,
    LlaveCustodio,
    ceremonia_en_proceso,
    cifrar_boleta,
    deserializar,
    serializar,
    texto_canonico,
)

MARCAS = {"08": {1: (2,)}, "14": {2: (1,), 3: (1, 3)}, "32": {4: (3,)}}
ESCRITURA = {"POST", "PUT", "PATCH", "DELETE"}


@functools.cache
def _eleccion() -> tuple[Any, Any, Any, tuple[LlaveCustodio, ...]]:
    configuracion = ConfiguracionEleccion(3, 2, "2027-06-06", "Pruebas de autorización", fabrica.manifiesto())
    custodios, registro, contexto = ceremonia_en_proceso(configuracion)
    return configuracion, registro, contexto, tuple(c.llave() for c in custodios)


def _fabrica(app: Flask):  # type: ignore[no-untyped-def]
    return app.extensions["vmre"]["fabrica"]


def _documento(e: Escenario, elector: ElectorPrueba) -> dict[str, Any]:
    preparada = cifrar_boleta(e.contexto, elector.entidad, MARCAS[elector.entidad], elector.credencial)
    return dict(json.loads(serializar(preparada.boleta)))


def _depositar(cliente: FlaskClient, e: Escenario, cab: dict[str, str], documento: dict[str, Any]) -> Any:
    return cliente.post(f"/api/v1/sivei/votacion/{e.proceso_id}/depositar", json={"boleta": documento}, headers=cab)


def _url(regla: Any, proceso_id: int, texto: str = "x") -> str:
    """La URL de una regla con cada argumento entero = el proceso y cada texto = ``texto``."""
    valores = {
        a: (proceso_id if type(regla._converters[a]).__name__ == "IntegerConverter" else texto) for a in regla.arguments
    }
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(valores[m.group(1)]), regla.rule)


def _rutas(app: Flask, prefijo: str) -> list[tuple[str, Any]]:
    return sorted(
        (
            (metodo, regla)
            for regla in app.url_map.iter_rules()
            if regla.rule.startswith(prefijo)
            for metodo in sorted((regla.methods or set()) & ESCRITURA)
        ),
        key=lambda x: (x[1].rule, x[0]),
    )


def _huella_base(app: Flask) -> tuple[int, ...]:
    """Filas del tablero, boletas, marcas, custodios, procesos y bitácora."""
    tablas = (EntradaTableroBD, BoletaRecibida, MarcaVoto, CustodioAsignado, ProcesoElectoral, EntradaBitacora)
    with transaccion(_fabrica(app)) as bd:
        return tuple(int(bd.scalar(select(func.count()).select_from(t)) or 0) for t in tablas)


@pytest.fixture
def abierto(cliente: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch) -> Escenario:
    monkeypatch.setattr(fabrica, "eleccion", lambda: _eleccion()[:3])
    e = crear_escenario(app, 4)
    custodios = [crear_personal(app, Rol.CUSTODIO) for _ in range(3)]
    with transaccion(_fabrica(app)) as bd:
        for i, p in enumerate(custodios, start=1):
            bd.add(CustodioAsignado(proceso_id=e.proceso_id, indice=i, usuario_id=p.id))
    abrir(cliente, e)
    e.extra["custodios"] = custodios
    return e


@pytest.mark.parametrize("rol", [Rol.AUDITOR, Rol.REPRESENTANTE])
def test_auditor_and_representative_cannot_write_to_any_sivei_route(
    cliente: FlaskClient, app: Flask, abierto: Escenario, rol: Rol
) -> None:
    e = abierto
    persona = crear_personal(app, rol)
    cab = sesion_api(cliente, persona)
    rutas = _rutas(app, "/api/v1/sivei")
    nombres = {r.endpoint for _m, r in rutas}
    # Las que existen hoy (la lista se toma del url_map: una ruta nueva entra sola).
    assert {"api_votacion.api_abrir", "api_votacion.api_depositar", "api_votacion.api_desafiar"} <= nombres
    assert {"api_eleccion.api_crear", "api_eleccion.api_asignar", "api_eleccion.api_mensaje"} <= nombres
    antes = _huella_base(app)
    documento = _documento(e, e.electores[0])
    for metodo, regla in rutas:
        url = _url(regla, e.proceso_id, "compromisos")
        for cuerpo in ({}, {"boleta": documento}, {"corte": e.corte_id, "fin": fabrica.fin_en(5)}):
            r = cliente.open(url, method=metodo, json=cuerpo, headers=cab)
            assert r.status_code == 403, (rol, metodo, regla.rule, r.get_json())
            assert error(r) in {"rol_no_permitido", "no_autenticado"}, (regla.rule, r.get_json())
    # Nada escrito: ni tablero, ni boletas, ni marcas, ni custodios, ni procesos; en la bitácora,
    # nada más (el inicio de sesión de la persona ya estaba anotado).
    assert _huella_base(app) == antes
    # Sí puede leer.
    if rol is Rol.AUDITOR:
        r = cliente.get(f"/api/v1/sivei/apertura/{e.proceso_id}/revision?corte={e.corte_id}", headers=cab)
        assert r.status_code in {200, 409}, r.get_json()
    assert cliente.get(f"/api/v1/sivei/tablero/{e.proceso_id}", headers=cab).status_code == 200
    assert cliente.get(f"/api/v1/sivei/procesos/{e.proceso_id}", headers=cab).status_code == 200


def test_auditor_forms_under_sivei_are_forbidden(cliente: FlaskClient, app: Flask, abierto: Escenario) -> None:
    e = abierto
    auditor = crear_personal(app, Rol.AUDITOR)
    entrar_paginas(cliente, auditor)
    pagina = cliente.get("/personal/").get_data(as_text=True)
    csrf = re.search(r'name="_csrf" value="([^"]+)"', pagina)
    assert csrf, "la página del personal no tiene testigo CSRF"
    rutas = _rutas(app, "/sivei")
    assert rutas, "no hay formularios bajo /sivei"
    antes = _huella_base(app)
    for metodo, regla in rutas:
        r = cliente.open(
            _url(regla, e.proceso_id),
            method=metodo,
            data={"_csrf": csrf.group(1), "corte": str(e.corte_id), "fin": fabrica.fin_en(5), "accion": "crear"},
        )
        assert r.status_code == 403, (regla.rule, r.status_code)
    assert _huella_base(app) == antes


def test_administrator_can_neither_cast_nor_decrypt(cliente: FlaskClient, app: Flask, abierto: Escenario) -> None:
    e = abierto
    admin = e.extra["admin_cabecera"]
    elector = e.electores[0]
    documento = _documento(e, elector)
    preparada = cifrar_boleta(e.contexto, elector.entidad, MARCAS[elector.entidad], elector.credencial)
    r = _depositar(cliente, e, admin, documento)
    assert r.status_code == 403 and error(r) == "rol_no_permitido"
    r = cliente.post(
        f"/api/v1/sivei/votacion/{e.proceso_id}/desafiar",
        json={
            "boleta": json.loads(serializar(preparada.boleta)),
            "apertura": json.loads(serializar(preparada.apertura())),
        },
        headers=admin,
    )
    assert r.status_code == 403 and error(r) == "rol_no_permitido"
    assert cliente.get(f"/api/v1/sivei/votacion/{e.proceso_id}/boleta", headers=admin).status_code == 403
    # Cierra (es su tarea) pero no descifra: ninguna ruta de descifrado le responde.
    assert _depositar(cliente, e, elector.sesion(cliente), documento).status_code == 201
    r = cliente.post(f"/api/v1/sivei/cierre/{e.proceso_id}", json={}, headers=admin)
    assert r.status_code == 201, r.get_json()
    # Los pasos del descifrado (21.5)–(21.9): avisar disponibilidad, parcial y respuesta.
    descifrado = [
        (m, regla)
        for m, regla in _rutas(app, "/api/v1/sivei/computo")
        if regla.rule.rsplit("/", 1)[-1] in {"disponible", "parcial", "respuesta"}
    ]
    assert len(descifrado) == 3
    for metodo, regla in descifrado:
        r = cliente.open(_url(regla, e.proceso_id), method=metodo, json={}, headers=admin)
        assert r.status_code == 403 and error(r) == "rol_no_permitido", regla.rule
    assert cliente.get(f"/api/v1/sivei/computo/{e.proceso_id}").get_json()["estado"] == "cerrada"


def test_a_custodian_cannot_decrypt_alone(cliente: FlaskClient, app: Flask, abierto: Escenario) -> None:
    e = abierto
    raiz = f"/api/v1/sivei/computo/{e.proceso_id}"
    for elector in e.electores[:2]:
        assert _depositar(cliente, e, elector.sesion(cliente), _documento(e, elector)).status_code == 201
    r = cliente.post(f"/api/v1/sivei/cierre/{e.proceso_id}", json={}, headers=e.extra["admin_cabecera"])
    assert r.status_code == 201, r.get_json()
    custodio = sesion_api(cliente, e.extra["custodios"][0])
    # Avisar dos veces no hace cuórum: k = 2 custodios distintos (21.6).
    for _ in range(2):
        r = cliente.post(f"{raiz}/disponible", json={}, headers=custodio)
        assert r.status_code in {200, 201} and r.get_json()["cuorum"] is None, r.get_json()
    # Su descifrado parcial, correcto y con un cuórum inventado, no se acepta.
    filas = [
        json.loads(x)
        for x in cliente.get(f"/api/v1/sivei/tablero/{e.proceso_id}/tablero.jsonl").get_data(as_text=True).splitlines()
    ]
    objeto = next(x["objeto"] for x in filas if x["entrada"]["tipo"] == "escrutinio_cifrado")
    from vmre_crypto import GRUPO_ESTANDAR

    escrutinio = deserializar(texto_canonico(objeto), EscrutinioCifrado, GRUPO_ESTANDAR)
    descifrador = DescifradorCustodio(e.contexto, _eleccion()[3][0])
    for cuorum in ([1, 2], [1, 3]):
        parcial = serializar(descifrador.descifrado_parcial(escrutinio, cuorum))
        ronda = cliente.get(raiz).get_json()["ronda"]
        r = cliente.post(f"{raiz}/parcial", json={"ronda": ronda, "documento": parcial}, headers=custodio)
        assert r.status_code == 409 and error(r) == "computo_cuorum_incompleto", r.get_json()
    r = cliente.get(f"{raiz}/retos")
    assert r.status_code == 409
    assert cliente.get(raiz).get_json()["estado"] == "cerrada"
    r = cliente.get(f"/api/v1/sivei/resultados/{e.proceso_id}")
    assert r.status_code == 409 and error(r) == "resultados_no_disponibles"


def test_voter_cannot_vote_twice_or_outside_the_window(cliente: FlaskClient, app: Flask, abierto: Escenario) -> None:
    e = abierto
    uno, dos = e.electores[0], e.electores[1]
    cab = uno.sesion(cliente)
    assert _depositar(cliente, e, cab, _documento(e, uno)).status_code == 201
    r = _depositar(cliente, e, cab, _documento(e, uno))
    assert r.status_code == 409 and error(r) == "ya_voto"
    # Con otra sesión de la misma cuenta, igual.
    r = _depositar(cliente, e, uno.sesion(cliente), _documento(e, uno))
    assert r.status_code == 409 and error(r) == "ya_voto"
    # Ventana vencida: la hora la decide el servidor.
    with transaccion(_fabrica(app)) as bd:
        proceso = bd.get(ProcesoElectoral, e.proceso_id)
        assert proceso is not None
        proceso.fin_votacion = ahora()
    r = _depositar(cliente, e, dos.sesion(cliente), _documento(e, dos))
    assert r.status_code == 409 and error(r) == "fuera_de_ventana"
    with transaccion(_fabrica(app)) as bd:
        assert bd.scalar(select(func.count()).select_from(MarcaVoto)) == 1


def test_no_get_route_shows_a_voter_another_voters_data(cliente: FlaskClient, app: Flask, abierto: Escenario) -> None:
    e = abierto
    uno, otro = e.electores[0], e.electores[1]
    cab = uno.sesion(cliente)
    assert _depositar(cliente, e, otro.sesion(cliente), _documento(e, otro)).status_code == 201
    with transaccion(_fabrica(app)) as bd:
        from servidor_referencia.bd.cuentas import CuentaElector

        cuenta = bd.get(CuentaElector, otro.id)
        assert cuenta is not None
        ajenos = [cuenta.correo, cuenta.clave_elector, cuenta.telefono, cuenta.totp_secreto or "—"]
    vistas = 0
    for regla in app.url_map.iter_rules():
        if "GET" not in (regla.methods or set()) or regla.rule.startswith("/estaticos"):
            continue
        for valor in {otro.id, e.proceso_id, e.corte_id}:
            url = _url(regla, valor, str(otro.id))
            r = cliente.get(url, headers=cab)
            texto = r.get_data(as_text=True)
            for dato in ajenos:
                assert dato not in texto, (url, dato)
            vistas += 1
    assert vistas > 40
    # Lo suyo sí lo ve (y solo lo suyo).
    r = cliente.get("/api/v1/elector/cuenta", headers=cab)
    assert r.status_code == 200 and uno.correo in r.get_data(as_text=True)
    # La búsqueda sí detectaría una fuga: con la sesión del otro, su ruta propia muestra su correo.
    assert ajenos[0] in cliente.get("/api/v1/elector/cuenta", headers=otro.sesion(cliente)).get_data(as_text=True)
