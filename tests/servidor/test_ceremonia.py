"""Ceremonia de llaves a través del servidor (§19.3–19.6): mensajes validados, quejas y publicación.

Los custodios corren aquí en el mismo proceso (objetos ``Custodio`` de la biblioteca) y hablan
con el servidor por el cliente de pruebas; ``test_ceremonia_custodios.py`` la corre con un
proceso ``vmre custodio ceremonia`` por custodio sobre HTTP real.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from herramientas import Personal, crear_personal, sesion_api

from servidor_referencia.dominio.roles import Rol
from vmre_crypto import (
    GRUPO_ESTANDAR,
    ConfiguracionEleccion,
    ContextoEleccion,
    Custodio,
    Queja,
    RegistroLlaves,
    construir_registro,
    deserializar,
    serializar,
)

RAIZ = "/api/v1/sivei/procesos"


class Escena:
    """Un proceso en ceremonia con n custodios asignados y sus sesiones API."""

    def __init__(self, app: Flask, cliente: FlaskClient, n: int, k: int) -> None:
        self.cliente = cliente
        self.admin = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
        cuerpo = {
            "nombre": "Prueba",
            "custodios": n,
            "cuorum": k,
            "fecha": "2021-06-06",
            "info": "x",
            "preset": "simulacro",
        }
        r = cliente.post(RAIZ, json=cuerpo, headers=self.admin)
        assert r.status_code == 201, r.get_json()
        self.id = r.get_json()["id"]
        self.cfg = deserializar(r.get_json()["configuracion"], ConfiguracionEleccion, None)
        self.personas: list[Personal] = [crear_personal(app, Rol.CUSTODIO) for _ in range(n)]
        for i, p in enumerate(self.personas, start=1):
            r = cliente.post(
                f"{RAIZ}/{self.id}/custodios", json={"indice": i, "usuario": p.usuario}, headers=self.admin
            )
            assert r.status_code == 201, r.get_json()
        assert r.get_json()["estado"] == "ceremonia"
        self.sesiones = {i: sesion_api(cliente, p) for i, p in enumerate(self.personas, start=1)}
        self.custodios = {i: Custodio.nuevo(self.cfg, i, f"Custodio {i}") for i in self.sesiones}

    def enviar(self, i: int, tipo: str, carga: Any, cabeceras: dict[str, str] | None = None) -> Any:
        cuerpo = (
            {"documentos": [serializar(m) for m in carga]}
            if isinstance(carga, (list, tuple))
            else {"documento": serializar(carga)}
        )
        return self.cliente.post(
            f"{RAIZ}/{self.id}/ceremonia/{tipo}", json=cuerpo, headers=cabeceras or self.sesiones[i]
        )

    def ok(self, i: int, tipo: str, carga: Any) -> Any:
        r = self.enviar(i, tipo, carga)
        assert r.status_code == 201, r.get_json()
        return r.get_json()

    def avance(self) -> dict[str, Any]:
        return self.cliente.get(f"{RAIZ}/{self.id}/ceremonia").get_json()

    def publicar_todos(self) -> None:
        for i, c in self.custodios.items():
            self.ok(i, "compromisos", c.publicar_compromisos())

    def compromisos(self) -> list[Any]:
        from vmre_crypto import CompromisosCustodio

        textos = self.cliente.get(f"{RAIZ}/{self.id}/ceremonia/compromisos").get_json()["documentos"]
        return [deserializar(t, CompromisosCustodio, GRUPO_ESTANDAR) for t in textos]

    def comparticiones_para(self, i: int) -> list[Any]:
        from vmre_crypto import ComparticionCifrada

        r = self.cliente.get(f"{RAIZ}/{self.id}/ceremonia/comparticiones", headers=self.sesiones[i])
        return [deserializar(t, ComparticionCifrada, GRUPO_ESTANDAR) for t in r.get_json()["documentos"]]


def _error(r: Any, estado: int, codigo: str) -> dict[str, Any]:
    assert r.status_code == estado, r.get_json()
    cuerpo: dict[str, Any] = r.get_json()["error"]
    assert cuerpo["codigo"] == codigo, cuerpo
    return cuerpo


def test_ceremonia_completa_publica_k_y_h_e(app: Flask, cliente: FlaskClient) -> None:
    e = Escena(app, cliente, 3, 2)
    e.publicar_todos()
    publicados = e.compromisos()
    for c in e.custodios.values():
        assert c.recibir_compromisos(publicados) == ()
    for i, c in e.custodios.items():
        e.ok(i, "comparticiones", c.comparticiones())
    assert cliente.get(f"{RAIZ}/{e.id}/ceremonia/registro").status_code == 409
    for i, c in e.custodios.items():
        e.ok(i, "confirmacion_comparticiones", c.recibir_comparticiones(e.comparticiones_para(i)))
    texto = cliente.get(f"{RAIZ}/{e.id}/ceremonia/registro").get_json()["documento"]
    registro = deserializar(texto, RegistroLlaves, GRUPO_ESTANDAR)
    assert registro == construir_registro(e.cfg, publicados)
    for i, c in e.custodios.items():
        respuesta = e.ok(i, "confirmacion_registro", c.confirmar_registro(registro))
        assert (respuesta["estado"] == "llave_publicada") == (i == 3)  # K y H_E solo con las n (19.14)
    publico = cliente.get(f"{RAIZ}/{e.id}").get_json()
    contexto = deserializar(publico["contexto"], ContextoEleccion, GRUPO_ESTANDAR)
    assert contexto == ContextoEleccion.crear(e.cfg, registro.llave_conjunta)
    assert publico["h_e"] == registro.h_e.hex().upper() == contexto.h_e.hex().upper()
    assert deserializar(publico["registro_llaves"], RegistroLlaves, GRUPO_ESTANDAR) == registro
    # Después de publicada, la ceremonia no admite más mensajes.
    _error(e.enviar(1, "quejas", [Queja(1, 2, "x")]), 409, "proceso_estado_invalido")
    pagina = cliente.get(f"/sivei/procesos/{e.id}").get_data(as_text=True)
    assert publico["h_e"] in pagina


def test_prueba_alterada_rechazada(app: Flask, cliente: FlaskClient) -> None:
    e = Escena(app, cliente, 3, 2)
    mensaje = e.custodios[1].publicar_compromisos()
    prueba = mensaje.pruebas[1]
    alterada = replace(
        mensaje, pruebas=(mensaje.pruebas[0], replace(prueba, respuesta=prueba.respuesta + prueba.respuesta))
    )
    cuerpo = _error(e.enviar(1, "compromisos", alterada), 422, "ceremonia_prueba_invalida")
    assert cuerpo["detalles"]["motivo"] == "schnorr_invalida"
    assert e.avance()["avance"][0]["compromisos"] is False  # nada guardado
    e.ok(1, "compromisos", mensaje)
    _error(e.enviar(1, "compromisos", mensaje), 409, "ceremonia_mensaje_duplicado")


def test_documento_malformado(app: Flask, cliente: FlaskClient) -> None:
    e = Escena(app, cliente, 3, 2)
    texto = json.loads(serializar(e.custodios[1].publicar_compromisos()))
    texto["compromisos"][0] = "00"
    r = cliente.post(
        f"{RAIZ}/{e.id}/ceremonia/compromisos", json={"documento": json.dumps(texto)}, headers=e.sesiones[1]
    )
    _error(r, 422, "ceremonia_documento_invalido")
    r = cliente.post(f"{RAIZ}/{e.id}/ceremonia/desconocido", json={"documento": "{}"}, headers=e.sesiones[1])
    _error(r, 404, "no_encontrado")


def test_no_se_envia_como_otro_indice(app: Flask, cliente: FlaskClient) -> None:
    e = Escena(app, cliente, 3, 2)
    ajeno = e.custodios[2].publicar_compromisos()
    _error(e.enviar(1, "compromisos", ajeno), 403, "ceremonia_indice_ajeno")
    e.publicar_todos()
    for c in e.custodios.values():
        c.recibir_compromisos(e.compromisos())
    _error(e.enviar(1, "comparticiones", e.custodios[2].comparticiones()), 403, "ceremonia_indice_ajeno")
    _error(e.enviar(1, "quejas", [Queja(2, 3, "x")]), 403, "ceremonia_indice_ajeno")


def test_orden_de_los_pasos(app: Flask, cliente: FlaskClient) -> None:
    e = Escena(app, cliente, 3, 2)
    e.ok(1, "compromisos", e.custodios[1].publicar_compromisos())
    # Comparticiones antes de tener los n compromisos.
    _error(
        cliente.post(f"{RAIZ}/{e.id}/ceremonia/comparticiones", json={"documentos": []}, headers=e.sesiones[1]),
        409,
        "ceremonia_fuera_de_orden",
    )
    for i in (2, 3):
        e.ok(i, "compromisos", e.custodios[i].publicar_compromisos())
    publicados = e.compromisos()
    for c in e.custodios.values():
        c.recibir_compromisos(publicados)
    # Confirmación antes de recibir las comparticiones dirigidas a uno.
    from vmre_crypto import ConfirmacionComparticiones

    _error(
        e.enviar(1, "confirmacion_comparticiones", ConfirmacionComparticiones(1, (2, 3))),
        409,
        "ceremonia_fuera_de_orden",
    )
    # Incompletas: solo una de las dos comparticiones.
    _error(e.enviar(1, "comparticiones", e.custodios[1].comparticiones()[:1]), 422, "ceremonia_documento_invalido")


@pytest.mark.parametrize("rol", [Rol.ADMINISTRADOR, Rol.AUDITOR, Rol.OPERADOR, Rol.REPRESENTANTE])
def test_roles_ajenos_no_envian(app: Flask, cliente: FlaskClient, rol: Rol) -> None:
    e = Escena(app, cliente, 3, 2)
    cabeceras = e.admin if rol is Rol.ADMINISTRADOR else sesion_api(cliente, crear_personal(app, rol))
    _error(e.enviar(1, "compromisos", e.custodios[1].publicar_compromisos(), cabeceras), 403, "rol_no_permitido")
    r = cliente.get(f"{RAIZ}/{e.id}/ceremonia/comparticiones", headers=cabeceras)
    _error(r, 403, "rol_no_permitido")


def test_custodio_no_asignado(app: Flask, cliente: FlaskClient) -> None:
    e = Escena(app, cliente, 3, 2)
    otro = sesion_api(cliente, crear_personal(app, Rol.CUSTODIO))
    _error(e.enviar(1, "compromisos", e.custodios[1].publicar_compromisos(), otro), 403, "custodio_no_asignado")


def test_asignacion_validada(app: Flask, cliente: FlaskClient) -> None:
    admin = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    cuerpo = {"nombre": "P", "custodios": 2, "cuorum": 1, "fecha": "2021-06-06", "info": "x", "preset": "simulacro"}
    pid = cliente.post(RAIZ, json=cuerpo, headers=admin).get_json()["id"]
    c1, auditor = crear_personal(app, Rol.CUSTODIO), crear_personal(app, Rol.AUDITOR)
    url = f"{RAIZ}/{pid}/custodios"
    _error(cliente.post(url, json={"indice": 3, "usuario": c1.usuario}, headers=admin), 400, "valor_invalido")
    _error(cliente.post(url, json={"indice": 1, "usuario": auditor.usuario}, headers=admin), 400, "valor_invalido")
    assert cliente.post(url, json={"indice": 1, "usuario": c1.usuario}, headers=admin).status_code == 201
    _error(cliente.post(url, json={"indice": 2, "usuario": c1.usuario}, headers=admin), 409, "custodio_ya_asignado")
    _error(cliente.post(url, json={"indice": 1, "usuario": c1.usuario}, headers=admin), 409, "custodio_ya_asignado")
    custodio = sesion_api(cliente, c1)
    _error(cliente.post(url, json={"indice": 2, "usuario": c1.usuario}, headers=custodio), 403, "rol_no_permitido")
    # En configuración aún no hay ceremonia.
    r = cliente.post(f"{RAIZ}/{pid}/ceremonia/compromisos", json={"documento": "{}"}, headers=custodio)
    _error(r, 409, "proceso_estado_invalido")


def test_queja_detiene_la_ceremonia(app: Flask, cliente: FlaskClient) -> None:
    e = Escena(app, cliente, 3, 2)
    e.publicar_todos()
    publicados = e.compromisos()
    for c in e.custodios.values():
        c.recibir_compromisos(publicados)
    for i in (1, 2):
        e.ok(i, "comparticiones", e.custodios[i].comparticiones())
    # El custodio 3 envía una compartición corrompida al 1: el 1 la descifra, no verifica y se queja.
    mias = list(e.custodios[3].comparticiones())
    para_1 = next(m for m in mias if m.receptor == 1)
    mias[mias.index(para_1)] = replace(para_1, c2=bytes(b ^ 1 for b in para_1.c2))
    e.ok(3, "comparticiones", mias)
    resultado = e.custodios[1].recibir_comparticiones(e.comparticiones_para(1))
    assert isinstance(resultado, tuple) and resultado[0].acusado == 3
    _error(e.enviar(1, "quejas", [Queja(1, 1, "x")]), 422, "ceremonia_documento_invalido")
    e.ok(1, "quejas", list(resultado))
    avance = e.avance()
    assert avance["detenida"] and avance["quejas"][0]["acusador"] == 1 and avance["quejas"][0]["acusado"] == 3
    cuerpo = _error(
        e.enviar(2, "confirmacion_comparticiones", e.custodios[2].recibir_comparticiones(e.comparticiones_para(2))),
        409,
        "ceremonia_detenida",
    )
    assert cuerpo["detalles"] == {"acusador": 1, "acusado": 3}
    assert cliente.get(f"{RAIZ}/{e.id}").get_json()["h_e"] is None
    assert "ceremonia detenida" in cliente.get(f"/sivei/procesos/{e.id}").get_data(as_text=True)


def test_confirmacion_de_registro_discrepante(app: Flask, cliente: FlaskClient) -> None:
    from vmre_crypto import ConfirmacionRegistro

    e = Escena(app, cliente, 2, 1)
    e.publicar_todos()
    publicados = e.compromisos()
    for c in e.custodios.values():
        c.recibir_compromisos(publicados)
    for i, c in e.custodios.items():
        e.ok(i, "comparticiones", c.comparticiones())
    for i, c in e.custodios.items():
        e.ok(i, "confirmacion_comparticiones", c.recibir_comparticiones(e.comparticiones_para(i)))
    _error(
        e.enviar(1, "confirmacion_registro", ConfirmacionRegistro(1, bytes(32))), 422, "ceremonia_registro_discrepante"
    )
